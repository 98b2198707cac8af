package dates

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/datalid/datalid/internal/editdist"
)

// keyword is a phrase printed next to a date that says what the date means.
type keyword struct {
	words  []string // folded words; ASCII phrases match word tokens one by one
	phrase string   // the phrase as listed, for Reason
	kind   Kind     // KindExpiry or KindManufacture (lot codes count as manufacture)
	lot    bool     // a code follows it, not a date: it only marks a date printed right after it
	us     bool     // US phrase: an ambiguous numeric date after it is month first
	lone   bool     // a single letter (E, M, V, L, F): only counts right before a date
	suffix bool     // printed after the date ("2022.01.31 까지", "until")
	script bool     // non-Latin: matched inside a letter run, whose words are not space-separated
	likeF  bool     // a letter OCR also gives for the manufacture F (E): see eForF
}

type kwFlag uint8

const (
	fLot kwFlag = 1 << iota
	fUS
	fSuffix
	fLikeF
)

type kwSpec struct {
	kind    Kind
	flags   kwFlag
	phrases []string
}

// keywordSpecs lists validity and manufacture phrases. OCR misreadings seen in Datalid's data
// (URL, VRL, VALIOADE...) are listed as phrases of their own instead of being "corrected" in the
// text, because global substitutions corrupt other words.
var keywordSpecs = []kwSpec{
	{KindExpiry, 0, []string{"VAL", "VALID", "VALIDO", "VALIDA", "VALIDADE", "VALIDITY",
		"VALDADE", "VALIOADE", "VALIDADC", "VAUDADE", "URL", "VRL", "UNL", "VNL", "UAL", "VAI",
		"VL", "VA", "UL"}}, // a faint letter of VAL lost
	{KindExpiry, 0, []string{"VENC", "VENCE", "VENCIMENTO", "VENCIMIENTO", "VTO", "VCTO", "VENCTO"}},
	{KindExpiry, 0, []string{"EXP", "EXF", "EXPIRY", "EXPIRES", "EXPIRE", "EXPIRA",
		"EXPIRATION", "EXPDATE", "EXPIRYDATE"}},
	{KindExpiry, 0, []string{"BEST BEFORE", "BESTBEFORE", "BEST BEFORE END", "BBE",
		"BBD", "BB", "USE BEFORE", "DISPLAY UNTIL"}},
	{KindExpiry, fUS, []string{"BEST BY", "BESTBY", "BEST IF USED BY", "BEST IF USED BEFORE",
		"BEST WHEN USED BY", "USE BY", "USEBY", "SELL BY"}},
	{KindExpiry, 0, []string{"CAD", "CADUCIDAD", "CONSUMIR ANTES DE",
		"CONSUMIR PREFERENTEMENTE ANTES DE", "CONSUMIR PREFERENTEMENTE ANTES DEL", "CONSUMIR ATE",
		"CONSUMIR PREFERENCIALMENTE ATE", "CONSUMIR PREFERENCIALMENTE ANTES DE",
		"CONS PREF"}},
	{KindExpiry, 0, []string{"MHD", "MINDESTENS HALTBAR BIS", "HALTBAR BIS",
		"ZU VERBRAUCHEN BIS", "VERBRAUCHEN BIS"}},
	{KindExpiry, 0, []string{"THT", "TEN MINSTE HOUDBAAR TOT", "TENMINSTE HOUDBAAR TOT",
		"HOUDBAAR TOT", "TE GEBRUIKEN TOT", "TGT"}},
	{KindExpiry, 0, []string{"DLUO", "DLC", "DDM", "A CONSOMMER DE PREFERENCE AVANT",
		"A CONSOMMER AVANT", "A CONSOMMER JUSQU AU"}},
	{KindExpiry, 0, []string{"SCAD", "SCADENZA", "DA CONSUMARSI ENTRO",
		"DA CONSUMARSI PREFERIBILMENTE ENTRO"}},
	// Turkish, Vietnamese, Indonesian and Malay, Polish, Czech, Nordic: Latin-script phrases
	// the recogniser spells without their diacritics.
	{KindExpiry, 0, []string{"SKT", "SON KULLANMA TARIHI", "SON TUKETIM TARIHI", "TETT",
		"TAVSIYE EDILEN TUKETIM TARIHI"}},
	{KindExpiry, 0, []string{"HSD", "HAN SU DUNG", "HAN DUNG"}},
	{KindExpiry, 0, []string{"BAIK DIGUNAKAN SEBELUM", "KEDALUWARSA", "TARIKH LUPUT", "GUNA SEBELUM"}},
	{KindExpiry, 0, []string{"NAJLEPIEJ SPOZYC PRZED", "NALEZY SPOZYC DO", "SPOTREBUJTE DO",
		"MINIMALNI TRVANLIVOST DO", "BAST FORE", "BEDST FOR", "PARASTA ENNEN"}},
	// U: a V whose strokes the recogniser saw meet low, as in URL and UNL above; Y: a V
	// whose strokes it saw meet high, over a stem (small or dotted print), and what is left
	// of BY when its B is misread ("8Y").
	{KindExpiry, 0, []string{"V", "U", "Y"}},
	{KindExpiry, fLikeF, []string{"E"}},
	{KindExpiry, 0, []string{"유통기한", "소비기한", "有效期至", "有效期", "保质期至", "到期日",
		"賞味期限", "消費期限"}},
	{KindExpiry, fSuffix, []string{"까지"}},

	// FB: a faint letter of FAB lost, as VL of VAL; FRB: its A read as R.
	{KindManufacture, 0, []string{"FAB", "FABR", "FABRICACAO", "FABRICADO", "FABRICADO EM",
		"FABRICATION", "FABRICACION", "FB", "FRB"}},
	{KindManufacture, 0, []string{"MFG", "MEG", "MFC", "MFD", "MANUF", "MANUFACTURE", "MANUFACTURED",
		"MANUFACTURING", "DOM"}},
	{KindManufacture, 0, []string{"PROD", "PRODUCTION", "PRODUCED", "PRODUCAO", "PRODUCCION",
		"PRODUZIDO", "PRODOTTO", "HERGESTELLT", "HERST"}},
	{KindManufacture, 0, []string{"PACKED", "PACKED ON", "PKD", "PACKAGED", "PACK", "EMB",
		"EMBALADO", "EMBALAGEM", "ENV", "ENVASADO", "ENVASE", "ELAB", "ELABORADO", "ELABORACION"}},
	{KindManufacture, 0, []string{"URETIM", "URETIM TARIHI", "NSX", "NGAY SX", "NGAY SAN XUAT",
		"TGL PRODUKSI", "DATA PRODUKCJI"}},
	{KindManufacture, 0, []string{"M"}},
	{KindManufacture, 0, []string{"F"}},
	{KindManufacture, 0, []string{"제조일자", "제조", "生产日期", "制造日期", "生産日", "製造日", "製造"}},
	{KindManufacture, fSuffix, []string{"부터"}},
	{KindManufacture, fLot, []string{"L", "LOT", "LOTE", "LOTTO", "BATCH", "LOTNO"}},
}

// fillers may stand between a keyword and its date without breaking the link:
// "Exp. Date: ...", "Validade (DD/MM/AA): ...", "à consommer de préférence avant le: ...".
var fillers = map[string]bool{
	"DATE": true, "DATA": true, "DATUM": true, "FECHA": true, "DT": true, "DE": true, "DEL": true,
	"DA": true, "DO": true, "LE": true, "LA": true, "EL": true, "IL": true, "ON": true, "AT": true,
	"A": true, "ATE": true, "O": true, "NO": true, "NR": true, "N": true, "END": true, "HASTA": true,
	"BIS": true, "TOT": true, "ENTRO": true, "AVANT": true, "JUSQU": true, "AU": true, "UNTIL": true,
	"DD": true, "MM": true, "AA": true, "YY": true, "YYYY": true, "AAAA": true, "JJ": true,
	"MMM": true, "DIA": true, "MES": true, "ANO": true, "THE": true, "OF": true,
	"EM": true, "EN": true, "AM": true, "OP": true, "IN": true,
}

var (
	byFirstWord    = map[string][]*keyword{} // ASCII keywords by their first word, longest first
	scriptKeywords []*keyword
	// expiryTails are the last words of the ASCII expiry phrases of several words (BY of
	// BEST BY, BEFORE of USE BEFORE): OCR glues a month name to them as to a keyword.
	expiryTails = map[string]bool{}
)

func init() {
	spelled := map[string]*keyword{}
	for _, spec := range keywordSpecs {
		for _, p := range spec.phrases {
			kw := &keyword{
				words:  strings.Fields(p),
				phrase: p,
				kind:   spec.kind,
				lot:    spec.flags&fLot != 0,
				us:     spec.flags&fUS != 0,
				suffix: spec.flags&fSuffix != 0,
				likeF:  spec.flags&fLikeF != 0,
			}
			kw.lone = len(p) == 1
			if !isASCII(p) {
				kw.script = true
				scriptKeywords = append(scriptKeywords, kw)
				continue
			}
			if n := len(kw.words); n > 1 && kw.kind == KindExpiry {
				expiryTails[kw.words[n-1]] = true
			}
			first := kw.words[0]
			list := append(byFirstWord[first], kw)
			// Longest phrase first, so BEST BEFORE END wins over BEST BEFORE.
			for i := len(list) - 1; i > 0 && len(list[i].words) > len(list[i-1].words); i-- {
				list[i], list[i-1] = list[i-1], list[i]
			}
			byFirstWord[first] = list
			if s := strings.Join(kw.words, ""); len(s) >= minMisreadLetters {
				spelled[s] = kw
			}
		}
	}
	for s, kw := range spelled {
		misreadable[len(s)] = append(misreadable[len(s)], misreadKeyword{s, kw})
	}
	for l, list := range misreadable {
		slices.SortFunc(list, func(a, b misreadKeyword) int { return strings.Compare(a.spelled, b.spelled) })
		for _, m := range list {
			if m.kw.kind == KindExpiry && len(m.kw.words) == 1 && l >= minNearLetters {
				nearExpiryWords[l] = append(nearExpiryWords[l], m)
			}
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lookupWord returns the one-word ASCII keyword spelled word, or nil.
func lookupWord(word string) *keyword {
	for _, kw := range byFirstWord[word] {
		if len(kw.words) == 1 {
			return kw
		}
	}
	return nil
}

// dateWords are the fillers that name the date itself (each is one), which labels print glued
// to their keyword ("MFGDT.", "PRODDATE", "EXPDATA").
var dateWords = []string{"DATE", "DT", "DATA"}

// gluedFiller returns the one-word keyword that word spells with one of dateWords glued after
// it, or nil. A lone letter does not count: "VDT" and "MDATA" are codes as likely as labels.
func gluedFiller(word string) *keyword {
	for _, f := range dateWords {
		if stem, ok := strings.CutSuffix(word, f); ok {
			if kw := lookupWord(stem); kw != nil && !kw.lone {
				return kw
			}
		}
	}
	return nil
}

// kwHit is a keyword found on a line, covering tokens first..last.
type kwHit struct {
	kw          *keyword
	first, last int
}

// findKeywords finds keyword phrases among a line's word tokens. A keyword is always a whole
// letter run, so the V of "ENV." or the L inside "LOTE" never count as keywords of their own.
func findKeywords(t *folded, toks []token) []kwHit {
	var hits []kwHit
	for i := 0; i < len(toks); i++ {
		switch toks[i].kind {
		case tokWord:
			kw, n := matchPhrase(t, toks, i)
			if kw != nil && kw.lone {
				// A lone letter may open a misread phrase ("U5E BY"), which says more.
				if m, _ := matchMisread(t, toks, i); m != nil {
					kw = nil
				}
			}
			if kw == nil {
				kw, n = gluedFiller(toks[i].s), 1
			}
			if kw != nil {
				hits = append(hits, kwHit{kw: kw, first: i, last: i + n - 1})
				i += n - 1
			} else if h, ok := misreadHit(t, toks, i); ok {
				hits = append(hits, h)
				i = h.last
			}
		case tokNum:
			// A keyword's first letter read as a digit ("8EST BY"): a number glued to letters.
			if i+1 < len(toks) && toks[i+1].kind == tokWord && toks[i+1].start == toks[i].end {
				if h, ok := misreadHit(t, toks, i); ok {
					hits = append(hits, h)
					i = h.last
				}
			}
		case tokScript:
			if kw := matchScript(toks[i].s); kw != nil {
				hits = append(hits, kwHit{kw: kw, first: i, last: i})
			}
		}
	}
	return hits
}

// matchPhrase returns the longest ASCII keyword starting at word token i and how many
// tokens it spans. Words of a phrase may be split by spaces or light punctuation ("BEST-BEFORE",
// "Exp.Date") but not by digits.
func matchPhrase(t *folded, toks []token, i int) (*keyword, int) {
next:
	for _, kw := range byFirstWord[toks[i].s] {
		n := len(kw.words)
		if i+n > len(toks) {
			continue
		}
		for j := 1; j < n; j++ {
			a, b := toks[i+j-1], toks[i+j]
			if b.kind != tokWord || b.s != kw.words[j] || b.start-a.end > 3 || b.start == a.end {
				continue next
			}
		}
		return kw, n
	}
	return nil, 0
}

// digitLetters are the letters OCR reads as each digit in worn or dot-matrix print.
var digitLetters = map[byte]string{'0': "ODQ", '1': "ILT", '2': "Z", '4': "A", '5': "S", '6': "G", '7': "T", '8': "B"}

const (
	// minMisreadLetters is the least length, in letters, of a keyword matchMisread looks for:
	// in a shorter one, a digit or two for letters leaves too little to be sure of it.
	minMisreadLetters = 5
	// maxMisreadDigits is how many of a keyword's letters may have been read as digits.
	maxMisreadDigits = 2
	// minLetterSwapLetters is the least length, in letters, of a keyword one of whose
	// letters may have been read as another it resembles (letterLike): "BEST IF USEO BY".
	// Across eight letters and more, one such letter leaves the keyword unmistakable.
	minLetterSwapLetters = 8
)

// letterLike are the letters OCR of small or dotted print gives for one another: round
// letters for round ones, E for F, U for V and I for L, and back.
var letterLike = map[byte]string{'O': "DQC", 'D': "O", 'Q': "O", 'C': "O", 'E': "F", 'F': "E", 'U': "V", 'V': "U", 'I': "L", 'L': "I"}

// misreadable are the keywords long enough for matchMisread, spelled without spaces (the
// last listed of one spelling), by length and in spelling order: built by init.
var misreadable = map[int][]misreadKeyword{}

// nearExpiryWords are misreadable's one-word expiry keywords of minNearLetters or more, the
// ones nearExpiry matches: built by init.
var nearExpiryWords = map[int][]misreadKeyword{}

type misreadKeyword struct {
	spelled string
	kw      *keyword
}

// matchMisread finds a keyword some of whose letters OCR read as digits ("BES1 BY", "U5E BY",
// "8EST BEFORE"), or, in a long one, one letter as another (letterLike), from word token i
// over whole tokens joined by at most one space, and returns it with the tokens it spans.
// Dot-matrix print loses letters to digits and round letters to each other this way.
func matchMisread(t *folded, toks []token, i int) (*keyword, int) {
	var best, near *keyword
	n, nearN := 0, 0
	spelled, digits := "", 0
	for j := i; j < len(toks) && toks[j].kind != tokScript; j++ {
		if j > i && (toks[j].start-toks[j-1].end > 1 || (toks[j].start > toks[j-1].end && t.u[toks[j-1].end] != ' ')) {
			break
		}
		raw := string(t.u[toks[j].start:toks[j].end])
		for k := 0; k < len(raw); k++ {
			if c := raw[k]; c >= '0' && c <= '9' {
				digits++
			}
		}
		spelled += raw
		if digits > maxMisreadDigits || len(spelled) > 16 {
			break
		}
		if toks[j].kind == tokWord && near == nil {
			if kw := nearExpiry(spelled); kw != nil {
				near, nearN = kw, j-i+1
			}
		}
		if digits == 0 && len(spelled) < minLetterSwapLetters {
			continue // read as letters: matchPhrase's
		}
		for _, m := range misreadable[len(spelled)] {
			if readsAs(spelled, m.spelled) && (best == nil || len(m.kw.words) > len(best.words)) {
				best, n = m.kw, j-i+1
			}
		}
	}
	if best == nil {
		return near, nearN
	}
	return best, n
}

// lettersPerNearEdit is how many letters of an expiry word nearExpiry lets one edit cost
// beyond readsAs's (a letter lost, gained or misread): a quarter of them, so an eight-letter
// word stays unmistakable with two ("TALIDIDE", "VUIDADE", "JAL1DADE" for VALIDADE) and a
// seven-letter one with one ("LPDATE", a PRD DATE, is no EXPDATE), where in shorter words
// edits would make keywords of anything.
const lettersPerNearEdit = 4

// maxNearEdits bounds the edits nearExpiry allows any word.
const maxNearEdits = 2

// minNearLetters is the shortest expiry word nearExpiry matches: the shortest with an edit
// to spare (2×lettersPerNearEdit−1 letters allow one).
const minNearLetters = 2*lettersPerNearEdit - 1

// nearExpiry returns the one-word expiry keyword that text spells with at most one edit per
// lettersPerNearEdit of its letters (a digit standing for a letter it resembles costs
// nothing), or nil. Only expiry words: misread, they label the date after them, which a
// misread manufacture word would only withhold.
func nearExpiry(text string) *keyword {
	for l := max(minNearLetters, len(text)-maxNearEdits); l <= len(text)+maxNearEdits; l++ {
		for _, m := range nearExpiryWords[l] {
			if editdist.Distance(text, m.spelled, letterRead) <= min(maxNearEdits, l/lettersPerNearEdit) {
				return m.kw
			}
		}
	}
	return nil
}

// letterRead reports a text byte c that OCR gives for word letter w: a digit it resembles.
func letterRead(c, w byte) bool { return strings.IndexByte(digitLetters[c], w) >= 0 }

// misreadHit is matchMisread's keyword as a hit; the digits it spans become letters, so no
// date takes them.
func misreadHit(t *folded, toks []token, i int) (kwHit, bool) {
	kw, n := matchMisread(t, toks, i)
	if kw == nil {
		return kwHit{}, false
	}
	for k := i; k < i+n; k++ {
		toks[k].kind = tokWord
	}
	return kwHit{kw: kw, first: i, last: i + n - 1}, true
}

// readsAs reports whether text spells word, each digit standing for one of its digitLetters
// and, in a word of minLetterSwapLetters or more, one letter for another it is letterLike.
func readsAs(text, word string) bool {
	swaps := 0
	if len(word) < minLetterSwapLetters {
		swaps = 1
	}
	for k := 0; k < len(text); k++ {
		c := text[k]
		switch {
		case c == word[k]:
		case strings.ContainsRune(digitLetters[c], rune(word[k])):
		case swaps == 0 && strings.ContainsRune(letterLike[c], rune(word[k])):
			swaps++
		default:
			return false
		}
	}
	return true
}

// matchScript finds CJK/Hangul keywords, which OCR returns glued to neighbouring words.
func matchScript(run string) *keyword {
	for _, kw := range scriptKeywords {
		w := kw.words[0]
		if (kw.suffix && strings.HasPrefix(run, w)) || (!kw.suffix && strings.HasSuffix(run, w)) {
			return kw
		}
	}
	return nil
}

// onlyFillers reports whether tokens from..to-1 are all filler words.
func onlyFillers(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		if toks[k].kind != tokWord || !fillers[toks[k].s] {
			return false
		}
	}
	return true
}

// IsLabel reports whether text is a label and nothing else: date or lot keywords ("Val:",
// "FAB.", "Lote:", "BEST BEFORE") with at most filler words between them, and no digits.
// Such a line names a value printed beside it.
func IsLabel(text string) bool {
	s := scanLine(text)
	if len(s.hits) == 0 {
		return false
	}
	next := 0
	for _, h := range s.hits {
		if !onlyFillers(s.toks, next, h.first) {
			return false
		}
		next = h.last + 1
	}
	return onlyFillers(s.toks, next, len(s.toks))
}

// ExpiryLabelled reports whether text holds a validity keyword of two letters or more
// ("BEST BEFORE", "VAL", "EXP", or one misread as "BESTBEFCRE"): the line names an expiry
// date, whether or not one could be read on it.
func ExpiryLabelled(text string) bool {
	for _, h := range scanLine(text).hits {
		if h.kw.kind == KindExpiry && !h.kw.lone && !h.kw.suffix {
			return true
		}
	}
	return false
}
