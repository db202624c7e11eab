// Package emailtext reads what a person wrote in the plain text of an
// email: the blocks they typed above, between and below quoted history, and
// not the history, the signature or the sign-off ([Written]); whether it is
// a forward ([Forwarded]); and RFC 3676 format=flowed text ([Unflow]).
//
// It is pure text processing, with no MIME parser: package mimemail feeds it
// replies to carecoach's prompts, and it can read a customer's message the
// same way.
package emailtext
