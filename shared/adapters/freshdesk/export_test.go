package freshdesk

// HTMLToText exposes the comment converter to the external tests, which
// fuzz it directly; it is not part of the package's API.
var HTMLToText = htmlToText
