package dates

import (
	"unicode"
	"unicode/utf8"
)

// folded is one OCR line reduced to what the matchers need: Latin letters without accents
// (so VALIDAÇÃO, Mär and À CONSOMMER meet plain ASCII tables), Unicode dashes, slashes and
// spaces turned into their ASCII forms, and other scripts kept as upper-cased UTF-8 so CJK
// and Hangul keywords still match. Every folded byte remembers the original rune it came
// from, so matches can be reported as byte offsets into the caller's text.
type folded struct {
	line string // the original text
	u    []byte // upper-cased
	f    []byte // same bytes, original case kept (tells OCR's 'l' for 1 from the letter L)
	from []int  // from[i]: start of the original rune that produced byte i
	to   []int  // to[i]: end of that rune
}

// latinA maps U+0100..U+017F to base letters (case kept); a test checks its length.
const latinA = "AaAaAa" + "CcCcCcCc" + "DdDd" + "EeEeEeEeEe" + "GgGgGgGg" + "HhHh" +
	"IiIiIiIiIi" + "Ii" + "Jj" + "Kkk" + "LlLlLlLlLl" + "NnNnNnnNn" + "OoOoOo" + "Oo" +
	"RrRrRr" + "SsSsSsSs" + "TtTtTt" + "UuUuUuUuUuUu" + "Ww" + "YyY" + "ZzZzZz" + "s"

// latin1 maps U+00C0..U+00FF; '*' marks the two arithmetic signs, which are not letters.
const latin1 = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTs" + "aaaaaaaceeeeiiiidnooooo*ouuuuyty"

func fold(line string) *folded {
	t := &folded{
		line: line,
		u:    make([]byte, 0, len(line)),
		f:    make([]byte, 0, len(line)),
		from: make([]int, 0, len(line)),
		to:   make([]int, 0, len(line)),
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		out := foldRune(r, size, buf[:0])
		if d := dateMarker(r); d != 0 && len(t.u) > 0 && isDigit(t.u[len(t.u)-1]) {
			out = append(buf[:0], d)
		}
		for _, b := range out {
			t.f = append(t.f, b)
			t.u = append(t.u, upperASCII(b))
			t.from = append(t.from, i)
			t.to = append(t.to, i+size)
		}
		i += size
	}
	return t
}

func upperASCII(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// foldRune appends the folded form of r to dst. size is r's width in the input, so that an
// invalid byte (RuneError of width 1) becomes a space instead of U+FFFD.
func foldRune(r rune, size int, dst []byte) []byte {
	switch {
	case r < utf8.RuneSelf:
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return append(dst, ' ')
		}
		if r < ' ' || r == 0x7f {
			return append(dst, ' ')
		}
		return append(dst, byte(r))
	case r == utf8.RuneError && size == 1:
		return append(dst, ' ')
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII, common in CJK print
		return foldRune(r-0xFEE0, 1, dst)
	case r >= 0x0660 && r <= 0x0669:
		return append(dst, byte('0'+r-0x0660))
	case r >= 0x06F0 && r <= 0x06F9:
		return append(dst, byte('0'+r-0x06F0))
	case r >= 0x0966 && r <= 0x096F:
		return append(dst, byte('0'+r-0x0966))
	}
	switch r {
	case 'Æ':
		return append(dst, 'A', 'E')
	case 'æ':
		return append(dst, 'a', 'e')
	case 'ß', 'ẞ':
		return append(dst, 's', 's')
	case 'Œ':
		return append(dst, 'O', 'E')
	case 'œ':
		return append(dst, 'o', 'e')
	case '·', '•', '∙':
		return append(dst, '.')
	case '⁄', '∕', '／':
		return append(dst, '/')
	case '＼':
		return append(dst, '\\')
	}
	switch {
	case r >= 0xC0 && r <= 0xFF:
		if c := latin1[r-0xC0]; c != '*' {
			return append(dst, c)
		}
		return append(dst, ' ')
	case r >= 0x100 && r <= 0x17F:
		return append(dst, latinA[r-0x100])
	case unicode.IsSpace(r):
		return append(dst, ' ')
	case unicode.Is(unicode.Pd, r):
		return append(dst, '-')
	case unicode.Is(unicode.Sc, r):
		return append(dst, '$')
	case unicode.IsLetter(r):
		return utf8.AppendRune(dst, unicode.ToUpper(r))
	case unicode.IsMark(r):
		// A combining accent after a base letter: drop it. Emitting nothing keeps offsets
		// valid because the mark's bytes simply belong to no folded byte.
		return dst
	}
	return append(dst, ' ')
}

// dateMarker returns how a CJK or Hangul year/month/day marker reads right after digits
// ("2024年01月30日", "2024년 1월 30일"): as a date separator. Elsewhere it stays a letter,
// as in the keyword 生产日期.
func dateMarker(r rune) byte {
	switch r {
	case '年', '月', '년', '월':
		return '-'
	case '日', '일':
		return ' '
	}
	return 0
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// span converts a folded half-open range to byte offsets in the original line.
func (t *folded) span(start, end int) (int, int) {
	return t.from[start], t.to[end-1]
}
