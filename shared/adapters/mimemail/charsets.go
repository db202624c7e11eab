package mimemail

import (
	"fmt"
	"strings"

	"github.com/cention-sany/utf7"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// charsetEncoding finds a charset by one of the names enmime (v2.4.1,
// internal/coding/charsets.go) knows it by, case-insensitively: nil for
// UTF-8 (no conversion), an error for a name enmime does not know. The
// names are the WHATWG labels (x/net/html/charset's table) with enmime's
// additions; a switch, not x/text's htmlindex, which would link its
// language tables (50 KB) into the inbound Lambda. envelope_test.go checks
// the common charsets decode as enmime decodes them.
func charsetEncoding(label string) (encoding.Encoding, error) {
	switch strings.ToLower(label) {
	case "unicode-1-1-utf-8", "utf-8", "utf8", "utf8mb4":
		return nil, nil
	case "utf-7", "utf7":
		return utf7.UTF7, nil
	case "866", "cp866", "csibm866", "ibm866":
		return charmap.CodePage866, nil
	case "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987",
		"l2", "latin2", "8859-2", "8859_2":
		return charmap.ISO8859_2, nil
	case "csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988",
		"l3", "latin3", "8859-3", "8859_3":
		return charmap.ISO8859_3, nil
	case "csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988",
		"l4", "latin4", "8859-4", "8859_4":
		return charmap.ISO8859_4, nil
	case "csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5",
		"iso_8859-5:1988", "8859-5", "8859_5":
		return charmap.ISO8859_5, nil
	case "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6",
		"iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987",
		"8859-6", "8859_6":
		return charmap.ISO8859_6, nil
	case "csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7",
		"iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek", "8859-7", "8859_7":
		return charmap.ISO8859_7, nil
	case "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8",
		"iso88598", "iso_8859-8", "iso_8859-8:1988", "visual", "csiso88598i", "iso-8859-8-i", "logical", "8859-8",
		"8859_8":
		return charmap.ISO8859_8, nil
	case "csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6", "8859-10",
		"8859_10":
		return charmap.ISO8859_10, nil
	case "iso-8859-13", "iso8859-13", "iso885913", "8859-13", "8859_13":
		return charmap.ISO8859_13, nil
	case "iso-8859-14", "iso8859-14", "iso885914", "8859-14", "8859_14":
		return charmap.ISO8859_14, nil
	case "csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9", "8859-15", "8859_15":
		return charmap.ISO8859_15, nil
	case "iso-8859-16", "8859-16", "8859_16":
		return charmap.ISO8859_16, nil
	case "cskoi8r", "koi", "koi8", "koi8-r", "koi8_r":
		return charmap.KOI8R, nil
	case "koi8-u":
		return charmap.KOI8U, nil
	case "csmacintosh", "mac", "macintosh", "x-mac-roman":
		return charmap.Macintosh, nil
	case "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874":
		return charmap.Windows874, nil
	case "cp1250", "windows-1250", "x-cp1250", "238":
		return charmap.Windows1250, nil
	case "cp1251", "windows-1251", "x-cp1251":
		return charmap.Windows1251, nil
	case "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-ir-100", "l1", "latin1",
		"us-ascii", "windows-1252", "x-cp1252", "iso646-us", "iso: western", "we8iso8859p1", "8859-1", "8859_1":
		return charmap.Windows1252, nil
	case "iso-8859-1", "iso8859-1", "iso8859_1", "iso88591", "iso_8859-1", "iso_8859-1:1987":
		return charmap.ISO8859_1, nil
	case "cp1253", "windows-1253", "x-cp1253":
		return charmap.Windows1253, nil
	case "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
		"iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254":
		return charmap.Windows1254, nil
	case "cp1255", "windows-1255", "x-cp1255":
		return charmap.Windows1255, nil
	case "cp1256", "windows-1256", "x-cp1256":
		return charmap.Windows1256, nil
	case "cp1257", "windows-1257", "x-cp1257":
		return charmap.Windows1257, nil
	case "cp1258", "windows-1258", "x-cp1258":
		return charmap.Windows1258, nil
	case "x-mac-cyrillic", "x-mac-ukrainian":
		return charmap.MacintoshCyrillic, nil
	case "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
		"x-gbk", "cp936":
		return simplifiedchinese.GBK, nil
	case "gb18030":
		return simplifiedchinese.GB18030, nil
	case "hz-gb-2312":
		return simplifiedchinese.HZGB2312, nil
	case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "136":
		return traditionalchinese.Big5, nil
	case "cseucpkdfmtjapanese", "euc-jp", "x-euc-jp":
		return japanese.EUCJP, nil
	case "csiso2022jp", "iso-2022-jp":
		return japanese.ISO2022JP, nil
	case "csshiftjis", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis", "cp932":
		return japanese.ShiftJIS, nil
	case "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
		"ksc5601", "ksc_5601", "windows-949":
		return korean.EUCKR, nil
	case "csiso2022kr", "iso-2022-kr", "iso-2022-cn", "iso-2022-cn-ext":
		return encoding.Replacement, nil
	case "x-user-defined":
		return charmap.XUserDefined, nil
	case "cp850", "cp-850", "ibm850":
		return charmap.CodePage850, nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	case "utf-16", "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}
