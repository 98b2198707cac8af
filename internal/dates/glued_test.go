package dates

import (
	"testing"
	"time"
)

// Issue 13's date logic: one table per rule, every text invented in the shape OCR gives for
// real photos (no photo's text is copied here).
var (
	// A date followed at once by letters, a clock time or a stray digit.
	gluedTailCases = []findCase{
		{in: "EXP:APR1126BATCH", want: "2026-04-11", kind: KindExpiry},
		{in: "BEST BY JUN1227 L44", want: "2027-06-12"},
		{in: "SEP0931", want: "2031-09-09"},
		{in: "EXP OCT2026", want: "2026-10"}, // a real four-digit year stays a year
		{in: "03NOV2716:05", want: "2027-11-03"},
		{in: "2027.04.193", want: "2027-04-19"},
		{in: "EXP 14.03.20285", want: "2028-03-14"},
		{in: "17/10/202608:15", want: "2026-10-17"},
		// A space after the clock's colon.
		{in: "MFG 21 .05.24 EXP 21 .11 .2608: 15", want: "2026-11-21"},
		// A space before the clock's colon: its hour is no month or year either.
		{in: "EXP 11 11 :51", want: ""},
		{in: "EXP MAY 2028 LOT 11 11 :51", want: "2028-05", kind: KindExpiry},
		{in: "LOT 4 11 :51", want: ""},
		{in: "EXP 07/2027 10 : 51", want: "2027-07", kind: KindExpiry},
		{in: "2027.04.1934", want: ""}, // four digits after the month: no day in them
		{in: "MAR 0024", want: ""},
		// A spaced month and year followed by a code that starts with digits: the digits
		// glued to letters open the code, they are no third group of a number.
		{in: "BEST BEFORE 93NOV2934", want: ""}, // the digits before are glued to the date itself
		{in: "USE BY 04 2028 3KD 17", want: "2028-04", kind: KindExpiry},
		{in: "PR0009 03 2027", want: ""}, // before it, "PROD 09 03 2027" misread: no date
		{in: "EXP 04 2028 3", want: ""},  // a bare digit after: maybe the rest of a number
	}
	// A validity or manufacture letter glued in front of the date.
	gluedMarkerCases = []findCase{
		{in: "V11/27", want: "2027-11", kind: KindExpiry},
		{in: "E090527", want: "2027-05-09", kind: KindExpiry},
		{in: "F02/2024 V02/2026", want: "2026-02", kind: KindExpiry},
		{in: "F02/2024\nV02/2026", want: "2026-02", kind: KindExpiry},
		{in: "U08/29", want: "2029-08", kind: KindExpiry}, // the V read as U
		{in: "F:03.26 U:03.28", want: "2028-03", kind: KindExpiry},
		{in: "y:05/27", want: "2027-05", kind: KindExpiry}, // the V read as Y
		{in: "F 02 2025 Y 08 2027", want: "2027-08", kind: KindExpiry},
		{in: "BEST 8Y 11/03/2027", want: "2027-11-03", kind: KindExpiry}, // what is left of BY
		{in: "Y 14 X 05/26", want: ""},                                   // a Y away from the date is no mark
		{in: "v3.11.2027", want: "2027-11-03", kind: KindUnknown},        // a version, not V 3.11
		// A letter glued to the end of a code is weak: the later of the pair wins.
		{in: "K7E:14/03/2024 10:20\n5L:14/03/2027", want: "2027-03-14"},
		{in: "Q4X2V:18/07/2026", want: "2026-07-18", kind: KindExpiry},
		// Nor does it make a dotted pair, a clock time misread, a month and year.
		{in: "4K2E 05.11", want: ""},
		{in: "4K2E 05/26", want: "2026-05"}, // a slashed MM/YY is one without a keyword
		{in: "E 05.26", want: "2026-05", kind: KindExpiry},
		// A D read as 0 inside a keyword, as the O of N0V already is.
		{in: "VALIDA0E: 03/04/2027", want: "2027-04-03", kind: KindExpiry},
		{in: "FABRICACA0:03/04/2025\nVALIDA0E:03/04/2027", want: "2027-04-03", kind: KindExpiry},
	}
	// MM/YYYY whose slash OCR read as 1, I or l, after a validity keyword.
	separatorAsOneCases = []findCase{
		{in: "F03/2025 V0312027", want: "2027-03", kind: KindExpiry},
		{in: "VAL 09I2026", want: "2026-09"},
		{in: "VAL: 09l2026", want: "2026-09"},
		{in: "0912026", want: ""},   // no keyword: a seven-digit code
		{in: "L 0912026", want: ""}, // a lot
		{in: "EXP 1412026", want: ""},
		{in: "VAL 2110312027", want: "2027-03-21"},
		{in: "VAL: 21I03I2027", want: "2027-03-21"},
		// Both slashes of DD/MM/YY read as 1 or as 7, after a validity keyword.
		{in: "BEST BEFORE:03704723", want: "2023-04-03", kind: KindExpiry},
		{in: "EXP 21110126", want: "2026-10-21", kind: KindExpiry},
		{in: "03704723", want: ""},
		{in: "LOT 03704723", want: ""},
		{in: "EXP 03704123", want: ""},           // two stand-ins that differ
		{in: "EXP 20270412", want: "2027-04-12"}, // a compact date as it stands
		{in: "EXP 12172025", want: "2025-12-17"}, // MMDDYYYY as it stands, not 12/2?/25
		{in: "2110312027", want: ""},
		{in: "EXP 3210312027", want: ""},
		{in: "VAL. 091 2026 FAB. 03 2024", want: "2026-09", kind: KindExpiry},
		{in: "EXP 111 2027", want: "2027-11"},
		{in: "VAL 091 2026 5", want: ""}, // a number after: a run of numbers
		{in: "091 2026", want: ""},
		{in: "VAL 131 2026", want: ""},
	}
	// A printed first separator and a second one OCR read as a digit or a letter.
	secondSepCases = []findCase{
		{in: "EXP 09/21127", want: "2027-09-21", kind: KindExpiry},
		{in: "USE BY 04/17J26", want: "2026-04-17", kind: KindExpiry},
		{in: "BB 23.08F2028", want: "2028-08-23"},
		{in: "19-03726 K4", want: "2026-03-19"},
		{in: "LOT 08/14126", want: ""}, // the lot's digits
		{in: "09/21X27", want: ""},     // X stands for no separator
		{in: "09/21527", want: ""},     // nor does 5
		{in: "EXP 09/41127", want: ""}, // no day 41 in either order
	}
	// A month name glued to the last word of a validity phrase, its O read as 0 or not.
	tailMonthCases = []findCase{
		{in: "BEST BYOCT 06 2032", want: "2032-10-06", kind: KindExpiry},
		{in: "USE BY0CT 14 2029", want: "2029-10-14", kind: KindExpiry},
		{in: "SELL BYN0V 03 2029", want: "2029-11-03", kind: KindExpiry},
		{in: "USE BEFOREJAN 2027", want: "2027-01", kind: KindExpiry},
		{in: "STANDBYMAR 12 2027", want: "2027-12"}, // one word that ends in BY MAR: no keyword
	}
	// Bare MM/YY next to a lot code.
	lotAfterMonthYearCases = []findCase{
		{in: "07/28 L 5521", want: "2028-07"},
		{in: "07/28 L5521", want: "2028-07"},
		{in: "CX 10/24 UN", want: ""},
		{in: "2 X 10/24 L", want: ""},
		{in: "7L:14/03/2027", want: "2027-03-14", kind: KindUnknown}, // an L ending a code marks no lot
		// A clock time without its colon, or a code, after MM/YY whose year cannot be a month.
		{in: "EXP 09/27 1745", want: "2027-09", kind: KindExpiry},
		{in: "V:06/29 0518", want: "2029-06", kind: KindExpiry},
		{in: "08/31 3372", want: "2031-08"},
		{in: "VAL.08/27 573920", want: "2027-08", kind: KindExpiry}, // a lot number longer than any year
		{in: "EXP 03.29 4417026-01", want: "2029-03", kind: KindExpiry},
		{in: "EXP 09/11 573920", want: ""},                // 11 may still be the month of 9 November
		{in: "EXP 09 27 573920", want: ""},                // spaced alike: groups of one number
		{in: "EXP 09/27 2745", want: ""},                  // may be 27 September with a garbled year
		{in: "EXP 09 27 1745", want: ""},                  // spaced alike: a day, month and garbled year
		{in: "EXP 09/11 1745", want: ""},                  // 11 may be the month of 9 November
		{in: "USE BY 09/27 31 10:53", want: "2031-09-27"}, // a two-digit year after a space
		{in: "VAL:2-24 06", want: ""},
		{in: "F04.29 01129", want: ""}, // V11/29 glued after F04/29: no reading of the pair alone
	}
	// A run of 6 or 8 digits with a short number after it, past a space: a stray mark or a
	// line number. A number before it still makes it a group of a longer one.
	compactBeforeShortCases = []findCase{
		{in: "EXP 21032027 14", want: "2027-03-21", kind: KindExpiry},
		{in: "21032027 7", want: "2027-03-21"},
		{in: "BB 20270321 05", want: "2027-03-21", kind: KindExpiry},
		{in: "031227 40", want: "2027-12-03"},
		{in: "7 031227 40", want: ""},     // groups of a spaced number
		{in: "EXP 21032027.5", want: ""},  // a decimal, not a stray mark
		{in: "21032027 408813", want: ""}, // one group of a spaced barcode
	}
	// A date split over two boxes, joined with a space by the pipeline.
	splitCases = []findCase{
		{in: "2027 03 19", want: "2027-03-19"},
		{in: "EXP 2027.03 19", want: "2027-03-19"},
		{in: "19.03.20 27", want: "2027-03-19"},
		{in: "EXP 20 27.03.19", want: "2027-03-19"},
		{in: "19.03.20 27.5", want: "2020-03-19"}, // "27.5" is no half of a year
		{in: "19 03 20 27", want: ""},
	}
	// Two-digit year-first ranges (Korean "from ... until"), with or without the markers.
	yearFirstRangeCases = []findCase{
		{in: "24.03.05 부터 25.03.04 까지", want: "2025-03-04"},
		{in: "24.03.05 ~ 25.03.04", want: "2025-03-04"},
		{in: "24.03.05 从 25.03.04 止", want: "2025-03-04"},
		{in: "24.03.05\n25.03.04", want: "2025-03-04"},
		{in: "23.02.27 SMART\n23.08.26\n10:40", want: "2023-08-26"},
		{in: "22.04.19 HACCP\n品\n22.10.18\n09:15", want: "2022-10-18"},  // a stray mark read between
		{in: "22.04.19\nNET 500g\nLOT 7\n22.10.18", want: "2019-04-22"}, // too far apart: no range
		{in: "14.03.24 14.09.24", want: "2024-09-14"},                   // day first already runs forward
		{in: "21.01.28 28.01.22", want: "2028-01-21"},                   // year first would span 7 years: day first stays
		{in: "24.03.05", want: "2024-03-05"},                            // 05.03.2024 would be 2005: year first
		{in: "24-03-05", want: "2024-03-05"},
		{in: "VAL 27/04/08", want: ""}, // slashes: day first, 2008, out of range, not year first
		// Labelled expiry first, manufacture second: no "from ... until" range, and read year
		// first the product would be made after it expires.
		{in: "VAL 19.05.20\nFAB 24.01.20", want: "2020-05-19"},
		{in: "EXP 12.08.21 MFG 14.02.21", want: "2021-08-12"},
	}

	// An expiry word of eight letters or more read with up to two letters lost, added or
	// misread still labels its date (a quarter of its letters); shorter words allow fewer.
	nearExpiryCases = []findCase{
		{in: "TALIDIDE 11/27", want: "2027-11", kind: KindExpiry},
		{in: "VUIDADE10/26", want: "2026-10", kind: KindExpiry},
		{in: "JAL1DADE 03/29", want: "2029-03", kind: KindExpiry},
		{in: "BESI BEF0RE 12MAR2029", want: "2029-03-12", kind: KindExpiry},
		{in: "PRODUCT 05/2027", want: "2027-05", kind: KindUnknown},
		// Seven letters allow one edit: a garbled PRD DATE is no EXP DATE.
		{in: "LPDATE:14.02.2019", want: "2019-02-14", kind: KindUnknown},
	}
)

func runFindCases(t *testing.T, cases []findCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			res := Find(linesOf(tc.in), tc.opt)
			if tc.want == "" {
				if res.Best != nil {
					t.Fatalf("want no date, got %s from %q (%s)", res.Best.Date, res.Best.Text, res.Best.Reason)
				}
				return
			}
			want, prec, err := ParseLabel(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			b := res.Best
			if b == nil {
				t.Fatalf("want %s, got no date", tc.want)
			}
			if b.Date != want || b.Precision != prec {
				t.Fatalf("want %s (%s), got %s (%s) from %q (%s)", want, prec, b.Date, b.Precision, b.Text, b.Reason)
			}
			if tc.kind != "" && b.Kind != tc.kind {
				t.Errorf("kind = %s, want %s", b.Kind, tc.kind)
			}
			checkResult(t, linesOf(tc.in), res)
		})
	}
}

func TestGluedTail(t *testing.T)              { runFindCases(t, gluedTailCases) }
func TestGluedMarker(t *testing.T)            { runFindCases(t, gluedMarkerCases) }
func TestSeparatorReadAsOne(t *testing.T)     { runFindCases(t, separatorAsOneCases) }
func TestLotAfterMonthYear(t *testing.T)      { runFindCases(t, lotAfterMonthYearCases) }
func TestCompactBeforeShort(t *testing.T)     { runFindCases(t, compactBeforeShortCases) }
func TestSecondSeparatorMisread(t *testing.T) { runFindCases(t, secondSepCases) }
func TestMonthGluedToPhraseTail(t *testing.T) { runFindCases(t, tailMonthCases) }
func TestSplitOverBoxes(t *testing.T)         { runFindCases(t, splitCases) }
func TestYearFirstRange(t *testing.T)         { runFindCases(t, yearFirstRangeCases) }
func TestMonthYearPair(t *testing.T)          { runFindCases(t, monthYearPairCases) }
func TestNearExpiryWord(t *testing.T)         { runFindCases(t, nearExpiryCases) }
func TestMisreadMonthName(t *testing.T)       { runFindCases(t, misreadMonthCases) }
func TestMisreadKeyword(t *testing.T)         { runFindCases(t, misreadKeywordCases) }

// misreadKeywordCases: a keyword of five letters or more with one or two letters read as the
// digits they resemble, as dot-matrix print is read, still says what its date means.
var misreadKeywordCases = []findCase{
	{in: "BES1BY 082029", want: "2029-08", kind: KindExpiry},
	{in: "U5E BY 10 2027 4KT 22", want: "2027-10", kind: KindExpiry},
	{in: "8EST BEFORE 11 2026", want: "2026-11", kind: KindExpiry},
	{in: "5ELL 8Y 04/09/28", want: "2028-04-09", kind: KindExpiry}, // a US keyword: month first
	{in: "FABR1CACAO 02/2026", want: "2026-02", kind: KindManufacture},
	// Three letters are too few: the digits stay a lot code's.
	{in: "L0T 8X 11/2027", want: "2027-11", kind: KindUnknown},
	{in: "L0T 8Y 11/2027", want: "2027-11", kind: KindExpiry}, // the Y alone marks it, as a V would
	// In a keyword of eight letters or more, one letter read as another it resembles.
	{in: "BEST IF USEO BY 05/14/29", want: "2029-05-14", kind: KindExpiry},
	{in: "8EST IF USEO BY 11 2027", want: "2027-11", kind: KindExpiry},
	{in: "VALIOADE:09/2027", want: "2027-09", kind: KindExpiry},
	{in: "FABRICACAO 03/2026 VENCIMENT0 03/2028", want: "2028-03", kind: KindExpiry},
	// Shorter keywords, or two letters swapped, are no keyword.
	{in: "USO BY 10 2027", want: "2027-10", kind: KindUnknown},
	{in: "BEST IF UOEO BY 05/14/29", want: "2029-05-14", kind: KindUnknown},
	// VAL with a faint letter lost, glued to its date and to the lot after it.
	{in: "VL04/09/27L5120", want: "2027-09-04", kind: KindExpiry},
	{in: "FAB 03/2025 VA 03/2027", want: "2027-03", kind: KindExpiry},
	// FAB with a faint letter lost still marks the manufacture date.
	{in: "FB 04/2026", want: "2026-04", kind: KindManufacture},
	{in: "FRB 12/2030", want: "2030-12", kind: KindManufacture}, // its A read as R
	// A manufacture marker glued between a code and a separated date still marks it.
	{in: "L4032756F12/2027", want: "2027-12", kind: KindManufacture},
	// The validity date after it, its V read as a digit glued to the month; not elsewhere.
	{in: "L5521907F04/2026 004/2028", want: "2028-04", kind: KindUnknown},
	{in: "L3310 F11.2025 111.2027", want: "2027-11", kind: KindUnknown},
	{in: "PROC 011/2024", want: ""},
	{in: "U8L23/04/32L6357", want: "2032-04-23", kind: KindUnknown}, // a lot's L is part of the code
}

// misreadMonthCases: a month abbreviation with one letter misread the way date-coder print
// is (round letters, N and V losing a stroke) still names its month beside date digits; a
// word one letter from two months names none.
var misreadMonthCases = []findCase{
	{in: "BEST BY GCT 14 2027", want: "2027-10-14"},
	{in: "EXP 09 NOU 2028", want: "2028-11-09"},
	{in: "VAL: HOV/27", want: "2027-11"},
	{in: "USE BY 21 AUC 26", want: "2026-08-21"},
	{in: "BEST BY AOG 13 23", want: "2023-08-13"},
	{in: "BEST BY HUG 13 23", want: "2023-08-13"},
	{in: "HUG-24/FEB-26", want: "2026-02"}, // the later of a month-year pair
	{in: "BEST BY A0G 13 23", want: "2023-08-13"},
	{in: "Best Before Date: 14 sEr 2027", want: "2027-09-14", kind: KindExpiry},
	// "MAN" is one letter from three months: which is unknown, and the numbers after it are
	// its day and year, not December.
	{in: "MAN 12 2027", want: ""},
	{in: "TAB 12 2027", want: "2027-12"}, // a word no letter's misreading makes a month
	// The last letter read as the digit it resembles: the digit is no month of its own
	// (AU6 13 23 is not 13 June 2023).
	{in: "BEST BY AU6 13 23", want: "2023-08-13", kind: KindExpiry},
	{in: "EXP FE8 2027", want: "2027-02", kind: KindExpiry},
	{in: "OC7 12 2028", want: "2028-10-12"},
	{in: "VAL: JU1/27", want: "2027-07", kind: KindExpiry},
	{in: "LOT AB7 1234", want: ""},
	// A dotted U without its right side.
	{in: "BB JLL 09 27 K4TRC 170318", want: "2027-07-09", kind: KindExpiry},
	// The first letter read as the digit it resembles.
	{in: "BEST BY 5EP 21 2029", want: "2029-09-21", kind: KindExpiry},
	{in: "EXP 0EC 2027", want: "2027-12", kind: KindExpiry},
	{in: "USE BY 4UG 03 28", want: "2028-08-03", kind: KindExpiry},
	{in: "LOT A5EP 2027", want: ""},
	// A month name misread past repair still says the numbers after it are a day and a year.
	{in: "USE BY N1Y 04 2031", want: ""},
	{in: "BEST BY J8N 11 2027", want: ""},
	{in: "VAL 04 2031", want: "2031-04", kind: KindExpiry},
	{in: "USE BY MAY 02 2029", want: "2029-05-02", kind: KindExpiry},
	{in: "BB MRY 05 2032 GR569767P", want: ""},
	{in: "USE BY M1Y12 2031 10:57", want: ""},
	{in: "BEST BY N1Y 112030 08:12", want: ""}, // day and year glued: no MMYYYY either
	{in: "EXP 042030", want: "2030-04", kind: KindExpiry},
	{in: "BEST BY J11N 07 2029", want: ""}, // a letter read as its two strokes
	{in: "USE BY RUG C6 2024", want: ""},   // the day's 0 read as an open C
	{in: "BEST BY H1Y D4 2026", want: ""},
}

// monthYearPairCases: two month/year dates printed side by side, manufacture then expiry, as
// Indian and other labels do: the first date's year must not be read as the second's day
// ("MAR-23/SEP-24" is not 23 September 2024).
var monthYearPairCases = []findCase{
	// A number before the pair, set apart by a space, is no day of the first month.
	{in: "QC-11 MAR-23/OCT-25", want: "2025-10"},
	{in: "B 17 JUN-24 DEC-26", want: "2026-12"},
	{in: "MAR-23/SEP-24", want: "2024-09"},
	{in: "JUN 25/DEC 26", want: "2026-12"},
	{in: "OCT-24 APR-26 RS.45", want: "2026-04"},
	// A day before a month name with no month of its own in front stays a day.
	{in: "BEST BEFORE 24/FEB-26", want: "2026-02-24"},
}

// languageCases: validity and manufacture phrases of more languages written in Latin
// script, as the recogniser spells them (no diacritics).
var languageCases = []findCase{
	{in: "URETIM 01.02.2025 SKT 01.02.2027", want: "2027-02-01", kind: KindExpiry},
	{in: "NSX: 03/04/2025 HSD: 03/04/2026", want: "2026-04-03", kind: KindExpiry},
	{in: "NSX 03/04/25", want: "2025-04-03", kind: KindManufacture},
	{in: "BAIK DIGUNAKAN SEBELUM 15 08 2026", want: "2026-08-15", kind: KindExpiry},
	{in: "NAJLEPIEJ SPOZYC PRZED: 15.08.2026", want: "2026-08-15", kind: KindExpiry},
	{in: "BAST FORE 2026-08-15", want: "2026-08-15", kind: KindExpiry},
}

func TestMoreLanguages(t *testing.T) { runFindCases(t, languageCases) }

// orderCases: the day/month order of an ambiguous date follows the block's other dates
// before a US phrase, and the day the photo was taken decides it when a manufacture date
// would otherwise be a later day.
var orderCases = []findCase{
	{in: "MFG 25/01/2024\nBEST BY 02/12/2025", want: "2025-12-02", kind: KindExpiry},
	{in: "MFG 11/02/2025\nUSE BY 10/02/2026", want: "2026-10-02", kind: KindExpiry}, // undecided: US phrase
	{in: "MFG 11/02/2025\nUSE BY 10/02/2026", want: "2026-02-10", kind: KindExpiry,
		opt: Options{Taken: Date{2025, time.March, 10}}}, // November 2 had not come yet
	{in: "MFG 11/02/2025\nUSE BY 10/02/2026", want: "2026-10-02", kind: KindExpiry,
		opt: Options{Taken: Date{2026, time.January, 5}}}, // both readings had come: undecided
	{in: "PKD 03/04/2026\nEXP 03/10/2026", want: "2026-03-10", kind: KindExpiry,
		opt: Options{Taken: Date{2026, time.March, 20}}}, // April 3 had not come: month first
	{in: "PKD 05/03/2026\nEXP 05/09/2027", want: "2027-09-05", kind: KindExpiry,
		opt: Options{Taken: Date{2026, time.April, 1}, PreferMonthFirst: true}}, // May 3 had not come
}

func TestDayMonthOrder(t *testing.T) { runFindCases(t, orderCases) }

// gluedDateWordCases: a label printed with its date word glued on ("MFGDT.", "EXPDATE") is
// its keyword, so the manufacture date it labels decides the order as a spaced one would.
var gluedDateWordCases = []findCase{
	{in: "MFGDT.11/02/2025\nUSE BY 10/02/2026", want: "2026-02-10", kind: KindExpiry,
		opt: Options{Taken: Date{2025, time.March, 10}}},
	{in: "PRODDATA 04/2025", want: "2025-04", kind: KindManufacture},
	{in: "PKDDATE 07/01/2026 EXPDT 06/01/2027", want: "2027-01-06", kind: KindExpiry},
	{in: "EXPDT:14/05/2027", want: "2027-05-14", kind: KindExpiry},
	{in: "VDT 04/2025", want: "2025-04"}, // a lone letter with a date word: no label
}

func TestGluedDateWord(t *testing.T) {
	for _, w := range dateWords {
		if !fillers[w] {
			t.Errorf("date word %s is no filler: spaced from its keyword, it would break the link", w)
		}
	}
	runFindCases(t, gluedDateWordCases)
}

// horizonCases: a date read past Options.Latest is a misread and no candidate, whatever its
// keyword; without a horizon the fixed window of years alone applies.
var horizonCases = []findCase{
	{in: "EXP 03/47", want: "", opt: Options{Latest: Date{2038, time.December, 2}}},
	{in: "EXP 03/47", want: "2047-03"},
	{in: "EXP 03/37", want: "2037-03", opt: Options{Latest: Date{2038, time.December, 2}}},
	{in: "EXP 2038-12-02", want: "2038-12-02", opt: Options{Latest: Date{2038, time.December, 2}}}, // the last day is in
	{in: "12/05/2026\nVAL 08/11/2049", want: "2026-05-12", opt: Options{Latest: Date{2038, time.December, 2}}},
	{in: "12/05/2026\nVAL 08/11/2049", want: "2049-11-08"},
}

// dayLetterCases: a day number OCR read as letters alone ("Ol" for 01) beside a month name.
var dayLetterCases = []findCase{
	{in: "Best Before Date: Ol SEP 2023", want: "2023-09-01"},
	{in: "EXP lO-JAN-2026", want: "2026-01-10"},
	{in: "BEST BY SEP Ol 2025", want: "2025-09-01"},
	{in: "Best Before Date: 0i MAR 2027", want: "2027-03-01"}, // a dotted 1 read as a small i
	{in: "EXP 1i/2029", want: "2029-11"},
	{in: "EXP OS MAR 2027", want: "2027-03-05"},
	{in: "EXP O MAR 2027", want: "2027-03"},  // a day 0 is no day: the month is read
	{in: "OIL MAR 2027", want: "2027-03"},    // a word, not a day
	{in: "LOTE Ol 12/2026", want: "2026-12"}, // no month name beside it
	{in: "VENC II/JUL/2O", want: ""},         // day and year mostly letters: a guess, not a reading
}

func TestDayReadAsLetters(t *testing.T) { runFindCases(t, dayLetterCases) }

func TestHorizon(t *testing.T) { runFindCases(t, horizonCases) }

func TestHorizonDay(t *testing.T) {
	for _, tc := range []struct{ day, want Date }{
		{Date{2026, time.December, 2}, Date{2026 + HorizonYears, time.December, 2}},
		{Date{2028, time.February, 29}, Date{2028 + HorizonYears, time.February, 29}}, // 2036 is a leap year
		{Date{2027, time.February, 28}, Date{2027 + HorizonYears, time.February, 28}},
	} {
		if got := Horizon(tc.day); got != tc.want || !got.Valid() {
			t.Errorf("Horizon(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
}

// issue13Cases seeds the fuzzer with every table above.
func issue13Cases() []findCase {
	var all []findCase
	for _, cs := range [][]findCase{gluedTailCases, gluedMarkerCases, separatorAsOneCases, secondSepCases, tailMonthCases,
		lotAfterMonthYearCases, splitCases, yearFirstRangeCases, monthYearPairCases, misreadMonthCases,
		misreadKeywordCases, languageCases, horizonCases, dayLetterCases} {
		all = append(all, cs...)
	}
	return all
}

func TestExpiryLabelled(t *testing.T) {
	for text, want := range map[string]bool{
		"BESTBEFCRE:037047": true, "VAL 0412": true, "Exp.Date:": true, "U5E BY 11": true,
		"FAB 03/2024": false, "LOTE 1234": false, "V 0312": false, "2024 까지": false, "": false,
	} {
		if got := ExpiryLabelled(text); got != want {
			t.Errorf("ExpiryLabelled(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestIsLabel(t *testing.T) {
	for text, want := range map[string]bool{
		"Val:": true, "FAB.": true, "Lote:": true, "BEST BEFORE": true, "V:": true, "Data de Validade:": true,
		"Val: 02/26": false, "L123": false, "FEV/27": false, "": false, "Ingredientes": false, "LOTE A12": false,
	} {
		if got := IsLabel(text); got != want {
			t.Errorf("IsLabel(%q) = %v, want %v", text, got, want)
		}
	}
}

// gluedMonthYearCases: three letters glued to two digits name a month and year only after a
// keyword; alone they are a lot or batch code's shape.
var gluedMonthYearCases = []findCase{
	{in: "GEN21", want: ""},
	{in: "RX MAR27", want: ""},
	{in: "EXP JUN25", want: "2025-06", kind: KindExpiry},
	{in: "BEST BY NOV28", want: "2028-11", kind: KindExpiry},
	{in: "VAL: AGO27", want: "2027-08", kind: KindExpiry},
	{in: "JUN 25", want: "2025-06"},  // set apart
	{in: "JUN/25", want: "2025-06"},  // set apart
	{in: "OCT2027", want: "2027-10"}, // a four-digit year
	{in: "SEP0931", want: "2031-09-09"},
	// After a date of the same glued shape that has its keyword: a date too.
	{in: "FAB:JUL24 XL:MAR27", want: "2027-03"},
	{in: "MFG FEB25 / EKF DEC26", want: "2026-12"},
	{in: "MFG FEB25\nDEC26", want: "2025-02", kind: KindManufacture}, // another line: a code's shape
	{in: "LOT FEB25 DEC26", want: "2025-02", kind: KindManufacture},  // a lot word labels no date shape
}

func TestGluedMonthYearNeedsKeyword(t *testing.T) { runFindCases(t, gluedMonthYearCases) }

// dayAfterMonthNameCases: a number right after a month name is that month's day, even where a
// digit of it was read as a letter; it opens no numeric month-year of its own.
var dayAfterMonthNameCases = []findCase{
	{in: "USE BY AUG C6 2024", want: ""}, // not June 2024
	{in: "EXP NOV Q3 2027", want: ""},
	{in: "USE BY AUG 06 2024", want: "2024-08-06", kind: KindExpiry},
	{in: "BEST BY JUN 2026 L 04 2025", want: "2026-06", kind: KindExpiry},
	{in: "FAB FEV/23 VAL 03/25", want: "2025-03", kind: KindExpiry}, // a year and a keyword between
	{in: "EXP 08 2027", want: "2027-08", kind: KindExpiry},
}

func TestDayAfterMonthName(t *testing.T) { runFindCases(t, dayAfterMonthNameCases) }

// manufactureLabelsItsOwnCases: a manufacture keyword earlier on the line labels the garbled
// date right after it, not a later date with that garbled group between.
var manufactureLabelsItsOwnCases = []findCase{
	{in: "FAB 06.06.190AL17.03.2014:27", want: "2020-03-17", kind: KindUnknown},
	{in: "MFG 11/03/2O2X 04/09/2027", want: "2027-09-04", kind: KindUnknown},
	{in: "FAB 12.05.23 LOTE 4471 14.11.2025", want: "2025-11-14"},
	// Nothing date-like between: the keyword holds.
	{in: "FAB LOTE 4471 14.11.2025", want: "2025-11-14", kind: KindManufacture},
}

func TestManufactureLabelsItsOwnDate(t *testing.T) { runFindCases(t, manufactureLabelsItsOwnCases) }

// dottedYearCases: dot-matrix print read with a digit as a letter, at the joints of a date.
var dottedYearCases = []findCase{
	// The 0 ending a day glued to the rest of OCT is its O.
	{in: "EXP 250CT2216:23", want: "2022-10-25", kind: KindExpiry},
	{in: "BB 100CT 2027", want: "2027-10-10", kind: KindExpiry},
	// A clock hour glued to a four-digit year, a space before the colon.
	{in: "URL : 04/02/202906 : 10", want: "2029-02-04", kind: KindExpiry},
	{in: "FA8:31/10-202813:28\nURL : 04/02/202906 : 10", want: "2029-02-04", kind: KindExpiry},
	// A two-digit year glued to a clock hour, a space before the colon.
	{in: "VAL 06 .01 .2408 :46", want: "2024-01-06", kind: KindExpiry},
	{in: "EXP 21/03/3117 :05", want: "2031-03-21", kind: KindExpiry},
	// The hour misread past 23: the run still ends a date whose year begins it.
	{in: "VAL 14.09.2981:30", want: "2029-09-14", kind: KindExpiry},
	// A two-digit year glued to a letter that stands for a digit, then a digit: the year
	// went on (2030 read "20E0"), so 20 is no year.
	{in: "USE BY JUL1920E0", want: ""},
	{in: "EXP MAY26E0E9", want: ""},
	{in: "EXP 03/26E5", want: ""},
	{in: "EXP MAY26EOE9", want: ""},
	{in: "EXP 03/26E512345", want: "2026-03", kind: KindExpiry}, // a code, longer than a year
	{in: "VL02/04/21L6539", want: "2021-04-02"},                 // a lot letter glued on
	{in: "BEST BY 06/13/24P27", want: "2024-06-13"},             // a code letter glued on
	{in: "EXP 03/2026E5", want: "2026-03", kind: KindExpiry},    // a four-digit year is whole
	// Two such letters alone after a century: the year's last digits ("2033" read "20EE").
	{in: "USE BY 11 20EE", want: ""},
	{in: "BEST BY 05/19ZO", want: ""},
	{in: "EXP 11/26AS", want: "2026-11", kind: KindExpiry}, // after another year: a word
	// Four such letters after a day: its whole year ("2021" read "EOEL"), so the day is no year.
	{in: "BEST IF USED BY JUN12EOEL LS731", want: ""},
	{in: "BB AUG09ZOZS", want: ""},
	{in: "EXP 05/26LOTE 123", want: "2026-05", kind: KindExpiry}, // a keyword glued on
	{in: "BB JUN12DATE", want: "2012-06", kind: KindExpiry},      // a filler word glued on
	// A digit read as a letter at the start of a separated group: the date began a group
	// earlier, and the rest of it is no month and year ("14/04/2027" read "14/C4/2027").
	{in: "EXP 14/C4/2027", want: ""},
	{in: "BB 03.C8.2029", want: ""},
	{in: "L 2345 V05/2027", want: "2027-05", kind: KindExpiry}, // a space, then a marker
	{in: "2345-V05/2027", want: "2027-05", kind: KindExpiry},   // a marker letter glued on
}

func TestDottedYear(t *testing.T) { runFindCases(t, dottedYearCases) }
