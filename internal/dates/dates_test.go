package dates

import (
	"strings"
	"testing"
)

// findCase is one photo's OCR text (lines split on "\n") and the expiry date it must give:
// "YYYY-MM-DD" for a day, "YYYY-MM" for a month-only print, "" for no date.
type findCase struct {
	in   string
	want string
	kind Kind // checked when set
	opt  Options
}

var findCases = []findCase{
	// Real OCR output from the project's photos.
	{in: "L:L274A1V:05/12/2025", want: "2025-12-05", kind: KindExpiry},
	{in: "URL:01.03.2026", want: "2026-03-01", kind: KindExpiry},
	{in: "2027.12.07", want: "2027-12-07"},
	{in: "300427", want: "2027-04-30"},
	{in: "BEST BEFORE:03/04/23", want: "2023-04-03"},
	{in: "Best By FEB/21/21 19:18", want: "2021-02-21"},
	{in: "11 APR 2021 F8 1756", want: "2021-04-11"},
	{in: "Kraft 11APR_2021 F8 1756", want: "2021-04-11"}, // OCR turned the space into "_"
	{in: "BEST BY NOV2021 0282", want: "2021-11"},
	{in: "L 095 E 28 10 21", want: "2021-10-28", kind: KindExpiry},
	{in: "유통기한 2021.02.01/10:08 부터\n2022.01.31 까지", want: "2022-01-31"},
	{in: "MFG : 26/11/2020 A\nEXP : 26/11/2021 KRVK", want: "2021-11-26"},
	{in: "VAL: 01.03.2026 / L:A 5245 22:06", want: "2026-03-01"},
	{in: "M 12 2023\nE 05 2025", want: "2025-05"},
	{in: "M 12 2023 / E 05 2025", want: "2025-05"},
	// Two dates each after a validity letter: a stray E before the manufacture date.
	{in: "LT 7731\nE 11/24\nV: 11/26", want: "2026-11", kind: KindExpiry},
	{in: "V 08/2027 E 08/2025", want: "2027-08", kind: KindExpiry},
	// An E before the earlier of two dates, the later unmarked: the F it resembles.
	{in: "L 5521\nE 03/2024\n09/2026", want: "2026-09", kind: KindUnknown},
	{in: "E 09/2026\n03/2024", want: "2026-09", kind: KindExpiry},
	{in: "E 03/2024\nLOTE 5521", want: "2024-03", kind: KindExpiry},
	// A whole date after a lot letter, later than the manufacture date: no lot's but the
	// validity's, its letter misread. A month and year there may be the lot code itself.
	{in: "FAB:14/03/2024 10:21\nL14/03/2026", want: "2026-03-14", kind: KindUnknown},
	{in: "MFG 02.11.2023 LOT 02.05.2025", want: "2025-05-02", kind: KindUnknown},
	// Alone, too: a lone L before a whole separated date is what is left of a VAL, not a
	// lot's mark (a lot's code is no date). A lot word keeps its date a manufacture one.
	{in: "L14/03/2026", want: "2026-03-14", kind: KindUnknown},
	{in: "S. L: 17.08.24", want: "2024-08-17", kind: KindUnknown},
	{in: "LOT: 01.03.2026", want: "2026-03-01", kind: KindManufacture},
	{in: "FAB 03/2024\nL 11/2024", want: "2024-11", kind: KindManufacture},
	// One of two dots read as a comma, beside a four-digit year. Commas of numbers stay.
	{in: "EXP: 2027.08, 14", want: "2027-08-14"},
	{in: "BEST BEFORE 14,08.2027", want: "2027-08-14"},
	{in: "2027,08,14", want: ""},
	{in: "PRECO 1.299,90", want: ""},
	{in: "R$ 14.08,27", want: ""},
	// A number pair before a unit is a quantity, even after a lone keyword letter; a unit
	// letter that is also a keyword, with a digit after it, opens a code or a date of its own.
	{in: "E12.25oz 250g", want: ""},
	{in: "e 7.50 ML", want: ""},
	{in: "V 05/26 M 05/24", want: "2026-05", kind: KindExpiry},
	{in: "VAL 09/27 L K418C2", want: "2027-09", kind: KindExpiry},
	{in: "VAL 09/27 L", want: "2027-09", kind: KindExpiry},
	// A spaced dash between two dates bounds a range; after a date, it opens a code.
	{in: "2023.04.18 - 2024.04.17", want: "2024-04-17"},
	{in: "18/04/2023 - 17/04/2024", want: "2024-04-17"},
	{in: "EXP 08/2026 - 5521", want: "2026-08", kind: KindExpiry},
	{in: "Batch No.: EVH142\nMfg. Date: 17.06.24\nExp. Date: 17.06.26", want: "2026-06-17"},
	{in: "BEST BEFORE: 30JAN2024 1Y1 15:49", want: "2024-01-30"},
	{in: "PROD: 01/02/2023\nEXP: 01/02/2026", want: "2026-02-01"},
	{in: "VAL.: 10/2022\nLOT: 1131019", want: "2022-10"},
	{in: "18.11.2020\nL.322 13:38 GT3", want: "2020-11-18"},
	{in: "090AN315:52\n31-08-22", want: "2022-08-31"},
	{in: "Ten minste houdbaar tot:\nA consommer de preference avant le:\nMindestens haltbar bis: 15/08/2022 LOT: 014036J0403I", want: "2022-08-15"},
	{in: "11022024\n1086376", want: "2024-02-11"},
	{in: "23.08.2022", want: "2022-08-23"},
	{in: "BEST IF USED BY 07/07/2024 W1HKA-15 09:05", want: "2024-07-07"},
	{in: "1616516704024232\n2027.12.07 1334", want: "2027-12-07"},
	{in: "BEST BEFORE:03/04/23 BATCH :094 6/1/3", want: "2023-04-03"},

	// Orders and separators.
	{in: "VAL 12/05/2026", want: "2026-05-12"},
	{in: "VAL 12.05.2026", want: "2026-05-12"},
	{in: "VAL 12-05-2026", want: "2026-05-12"},
	{in: "VAL 12 05 2026", want: "2026-05-12"},
	{in: `VAL 12\05\2026`, want: "2026-05-12"},
	{in: "VAL 12 / 05 / 2026", want: "2026-05-12"},
	{in: "VAL 12/05/26", want: "2026-05-12"},
	{in: "val 15 09 25", want: "2025-09-15"},
	{in: "15 09 25", want: "2025-09-15"},
	{in: "EXP 2026/05/12", want: "2026-05-12"},
	{in: "2026-05-12", want: "2026-05-12"},
	{in: "EXP 05/13/2026", want: "2026-05-13"},
	{in: "05/06/2026", want: "2026-06-05"},
	{in: "05/06/2026", want: "2026-05-06", opt: Options{PreferMonthFirst: true}},
	{in: "USE BY 05/06/2026", want: "2026-05-06"},
	{in: "Best By 03/04/23", want: "2023-03-04"},
	{in: "BEST BEFORE 03/04/23", want: "2023-04-03"},
	{in: "29/02/2024", want: "2024-02-29"},
	{in: "13/1025", want: "2025-10-13"},
	{in: "2024年01月30日", want: "2024-01-30"},

	// Month names.
	{in: "VAL 15 JAN 2026", want: "2026-01-15"},
	{in: "VAL15JAN26", want: "2026-01-15"},
	{in: "VAL.SET25", want: "2025-09"},
	{in: "VALSET25", want: "2025-09"},
	{in: "VALIDADE: 10 DEZ 2025", want: "2025-12-10"},
	{in: "12 FEV 2026", want: "2026-02-12"},
	{in: "30 ABR 2027", want: "2027-04-30"},
	{in: "15 MAI 26", want: "2026-05-15"},
	{in: "EXP 01 AGO 2025", want: "2025-08-01"},
	{in: "VAL OUT/2026", want: "2026-10"},
	{in: "ABR/27", want: "2027-04"},
	{in: "CAD: 15 ENE 2026", want: "2026-01-15"},
	{in: "CAD 10 DIC 2025", want: "2025-12-10"},
	{in: "Consumir preferentemente antes del 31 marzo 2026", want: "2026-03-31"},
	{in: "VALIDADE: 15 de janeiro de 2026", want: "2026-01-15"},
	{in: "VALIDADE: 15 março 2026", want: "2026-03-15"},
	{in: "MHD 31.12.2025", want: "2025-12-31"},
	{in: "15. März 2026", want: "2026-03-15"},
	{in: "À consommer de préférence avant le 15 mars 2026", want: "2026-03-15"},
	{in: "A consommer jusqu'au 03/04/2026", want: "2026-04-03"},
	{in: "THT 12-04-2026", want: "2026-04-12"},
	{in: "Ten minste houdbaar tot 15 mei 2026", want: "2026-05-15"},
	{in: "Da consumarsi preferibilmente entro il 12/2026", want: "2026-12"},
	{in: "SCAD 10 GIU 2026", want: "2026-06-10"},
	{in: "BEST BEFORE END MAR 2026", want: "2026-03"},
	{in: "EXP FEB 28 2026", want: "2026-02-28"},
	{in: "Best by Jan 15, 2026", want: "2026-01-15"},
	{in: "2024-JAN-30", want: "2024-01-30"},
	{in: "EXP 12 OKT 2025", want: "2025-10-12"},
	{in: "BEST BY NOV 2021", want: "2021-11"},
	{in: "OUT 2025", want: "2025-10"},

	// Month-year and compact forms.
	{in: "VAL 05/26", want: "2026-05"},
	{in: "02.2023", want: "2023-02"},
	{in: "10/2022", want: "2022-10"},
	{in: "VAL 2/2024", want: "2024-02"},
	{in: "NOV2021", want: "2021-11"},
	{in: "20271207", want: "2027-12-07"},
	{in: "EXP20260130", want: "2026-01-30"},
	{in: "VAL 052026", want: "2026-05"},
	{in: "30JAN2024", want: "2024-01-30"},
	{in: "15JAN26", want: "2026-01-15"},

	// Keywords and manufacture/expiry pairs.
	{in: "FAB 01/02/2024 VAL 01/02/2025", want: "2025-02-01"},
	{in: "VAL 01/02/2025 FAB 01/02/2024", want: "2025-02-01"},
	{in: "FABRICAÇÃO: 10/01/2025 VALIDADE: 10/07/2025", want: "2025-07-10"},
	{in: "FABRICAÇÃO\n10/01/2025\nVALIDADE\n10/01/2026", want: "2026-01-10"},
	{in: "VENCE 10/10/25", want: "2025-10-10", kind: KindExpiry},
	{in: "VENCIMENTO: 03.11.2025", want: "2025-11-03", kind: KindExpiry},
	{in: "VENC 15/09/2025 FAB 15/03/2025", want: "2025-09-15"},
	{in: "ENV. 05/03/2025 10/09/2025", want: "2025-09-10"},
	{in: "ENV.10/01/2025\nL123 10/07/2025", want: "2025-07-10"},
	{in: "EMB: 01/03/2025\nVAL: 01/09/2025", want: "2025-09-01"},
	{in: "MFG 2024.01.10 EXP 2026.01.10", want: "2026-01-10"},
	{in: "PACKED ON 12/01/2025", want: "2025-01-12", kind: KindManufacture},
	{in: "01/02/2024\n01/08/2024", want: "2024-08-01"},
	{in: "LOT 12345 VAL 05/2026", want: "2026-05"},
	{in: "LOTE 210325 VAL 21/09/2025", want: "2025-09-21"},
	{in: "BATCH 0A12 EXP 12/2025", want: "2025-12"},
	{in: "BB 12/06/2025", want: "2025-06-12", kind: KindExpiry},
	{in: "CAD 12/2026", want: "2026-12"},
	{in: "VTO 05/2026", want: "2026-05"},
	{in: "EXPIRY DATE: 20/10/2026", want: "2026-10-20"},
	{in: "Best before: 05.11.2025 L2309", want: "2025-11-05"},
	{in: "VAL 12/2025 LOTE 1O2O", want: "2025-12"},
	{in: "F: 01/03/2025 V: 01/03/2026", want: "2026-03-01"},
	{in: "VALIDO ATE 30/06/2026", want: "2026-06-30"},
	{in: "EXP 12/05/2026\n7891234567890", want: "2026-05-12"},
	{in: "7891234567890 VAL 12/2025", want: "2025-12"},

	// OCR letter/digit confusions, only inside digit groups.
	{in: "O1/O3/2O26", want: "2026-03-01"},
	{in: "VAL 2O/O5/2O26", want: "2026-05-20"},
	{in: "VAL l5/O8/2026", want: "2026-08-15"},
	{in: "JUL2O25", want: "2025-07"},
	{in: "AGO2025", want: "2025-08"},

	// Noise that must not produce a date, or must not win.
	{in: "01/01/2603:33", want: "2026-01-01"},
	{in: "2116:16", want: ""},
	{in: "L5039C116", want: ""},
	{in: "L:L274A1", want: ""},
	{in: "1616516704024232", want: ""},
	{in: "1086376", want: ""},
	{in: "L 300427", want: ""},
	{in: "L300427", want: ""},
	{in: "LOTE: 20240315", want: ""},
	{in: "LOT: 014036J0403I", want: ""},
	{in: "R$ 12,99", want: ""},
	{in: "$12.99", want: ""},
	{in: "R$ 10/20", want: ""},
	{in: "PRECO 12.99", want: ""},
	{in: "Tel: (11) 3456-7890", want: ""},
	{in: "+55 11 98765-4321", want: ""},
	{in: "SAC 0800 12 10 22 33", want: ""},
	{in: "7 891234 567890", want: ""},
	{in: "192.168.10.12", want: ""},
	{in: "v1.2.3", want: ""},
	{in: "31/02/2025", want: ""},
	{in: "29/02/2023", want: ""},
	{in: "12/05/1999", want: ""},
	{in: "12/05/2150", want: ""},
	{in: "12/05/2024/33", want: ""},
	{in: "10:08", want: ""},
	{in: "12:30:45", want: ""},
	{in: "PESO 1,250 KG 100%", want: ""},
	{in: "", want: ""},
	{in: "VALIDADE", want: ""},
	{in: "13:45 12/05/2026", want: "2026-05-12"},
	{in: "CX 12/24 UN", want: ""},
	{in: "CNPJ 12.345.678/0001-90", want: ""},
	{in: "CEP 01234-567 Tel 0800-123-4567", want: ""},
	{in: "(BEST WHEN USED BY DATE SHOWN)", want: ""},
	{in: "v2.10.2024", want: "2024-10-02", kind: KindUnknown},

	// Labels on the line above, column headers, other scripts.
	{in: "FAB. VAL. LOTE\n01/02/24 01/02/25 A123", want: "2025-02-01"},
	{in: "LOTE FAB VAL\nA123 01/02/2024 01/02/2025", want: "2025-02-01"},
	{in: "DATA DE FABRICAÇÃO: 05/01/2025\nDATA DE VALIDADE: 05/01/2026", want: "2026-01-05"},
	{in: "FECHA DE CADUCIDAD: 15/06/2026", want: "2026-06-15", kind: KindExpiry},
	{in: "EXPIRA EM 12/05/2026", want: "2026-05-12", kind: KindExpiry},
	{in: "Lote: 2403 Fab: 03/2024 Val: 03/2026", want: "2026-03"},
	{in: "生产日期:2024-01-30 保质期至:2025-01-30", want: "2025-01-30"},
	{in: "2024년 1월 30일까지", want: "2024-01-30", kind: KindExpiry},
	{in: "BEST BY 120526", want: "2026-12-05"},
	{in: "110224", want: "2024-02-11"},
	{in: "110224", want: "2024-11-02", opt: Options{PreferMonthFirst: true}},
	{in: "R$ 4,99 VAL 12/05/2026", want: "2026-05-12"},

	// OCR of real and synthetic photos: spaces dropped, lines merged, markers glued.
	{in: "L095E281021", want: "2021-10-28", kind: KindExpiry},
	{in: "M122023\nE052025", want: "2025-05"},
	{in: "122023\n052025", want: "2025-05"},
	{in: "PR00:01/02/2023\nEXP:01/02/2026 EXP", want: "2026-02-01"},
	{in: "BEST BY OCT 062030", want: "2030-10-06"},
	{in: "BEST BY JUL292031 L1421B", want: "2031-07-29"},
	{in: "BESTBYOCT082021", want: "2021-10-08"},
	{in: "EXP 02 112026", want: "2026-11-02"},
	{in: "EXP 2504 2024", want: "2024-04-25"},
	{in: "BEST BY 0CT 05 2023", want: "2023-10-05"},
	{in: "FAB 27/N0V/2027 VENC 31/0UT/2028", want: "2028-10-31"},
	{in: "VENC 26/AG0/2029", want: "2029-08-26"},
	{in: "VAL AG02025", want: "2025-08"},
	{in: "EXP 0CT2026", want: "2026-10"},
	{in: "LOT A0CT5", want: ""},
	{in: "PR0D 09/14/2021", want: "2021-09-14", kind: KindManufacture},
	{in: "PR00:01/02/2023", want: "2023-02-01", kind: KindManufacture}, // PROD's O and D read as 0, clock-like colon
	{in: "AB00:01/02/2023", want: "2023-02-01"},                        // a slash never continues a clock time
	{in: "CA0 12/2025", want: "2025-12", kind: KindExpiry},
	{in: "L00 12", want: ""},
	{in: "L0TE 20240315", want: ""},
	{in: "EXP 05 12 2828", want: ""},
	{in: "USE BY 09/14/E7", want: ""},        // a third part read as letters: a day before a garbled year, not September 2014
	{in: "VAL 11.25.EE 10:32", want: ""},     // the same, with dots
	{in: "EXP 03.26.L1234", want: "2026-03"}, // a code after the pair is longer than a year
	{in: "VAL 03/26/X", want: "2026-03"},
	{in: ".09.2022 03:14", want: ""},
	{in: "VAL.09/2022", want: "2022-09"},
	{in: "/11/2027 14:02", want: ""},
	{in: "FAB VALIDADE 24/02/2030 25/04/2030", want: "2030-04-25"},
	{in: "VALIDADE FAB 25/04/2030 24/02/2030", want: "2030-04-25"},
	{in: "MEG 30.10.2024\n09.08.2026", want: "2026-08-09"},
	{in: "VENC Z8/ABR/2024", want: "2024-04-28"},
	{in: "BB 1S/O4/2O2Z", want: "2022-04-15"},
	{in: "L 2403B 12/05/2026", want: "2026-05-12"},
	{in: "T2/10/61 88", want: ""},
	{in: "BEST BY MAR 18 292Z", want: ""},
	{in: "MFG DEC 15 2920\nBEST BY MAR 18 2022", want: "2022-03-18"},
	{in: "BEST BEFORE:03/04F", want: ""},
	{in: "BEST IF US 5 09.05 USED BY", want: ""},
	{in: "12/05/2005", want: ""},
	{in: "VAL 10/2090", want: ""},

	// Ambiguous order: the other date of the block, then the locale option.
	{in: "MFG 13/02/24\nEXP 02/12/24", want: "2024-12-02"},
	{in: "MFG 02/13/24\nEXP 02/12/24", want: "2024-02-12"},
	{in: "MFG 02/13/24\nEXP 02/12/24", want: "2024-02-12", opt: Options{PreferMonthFirst: false}},
	{in: "PROD 12/25/2023 EXP 06/05/2025", want: "2025-06-05"},
	{in: "PROD 25/12/2023 EXP 06/05/2025", want: "2025-05-06"},
	{in: "PROD 25/12/2023 EXP 06/05/2025", want: "2025-05-06", opt: Options{PreferMonthFirst: true}},

	// More languages and keywords.
	{in: "SCADENZA 31/12/2026", want: "2026-12-31", kind: KindExpiry},
	{in: "DA CONSUMARSI ENTRO 05/2026", want: "2026-05"},
	{in: "Te gebruiken tot 12-08-2026", want: "2026-08-12", kind: KindExpiry},
	{in: "THT 12 MRT 2026", want: "2026-03-12"},
	{in: "zu verbrauchen bis 03.10.2025", want: "2025-10-03", kind: KindExpiry},
	{in: "MHD 15 OKT 2025", want: "2025-10-15"},
	{in: "DLUO 04 AOÛT 2026", want: "2026-08-04"},
	{in: "A consommer avant le 12 FEVR 2026", want: "2026-02-12"},
	{in: "Caducidad 15 SEPT 2026", want: "2026-09-15"},
	{in: "CONSUMIR ANTES DE 20 DIC 2025", want: "2025-12-20"},
	{in: "Fabricação 01 SET 2025 Validade 01 MAR 2026", want: "2026-03-01"},
	{in: "VAL: OUT/26", want: "2026-10"},
	{in: "SCAD GEN 2027", want: "2027-01"},
	{in: "유통기한 2025.03.15", want: "2025-03-15", kind: KindExpiry},
	{in: "소비기한: 2025-03-15", want: "2025-03-15", kind: KindExpiry},
	{in: "제조일자 2024.03.15 유통기한 2025.03.15", want: "2025-03-15"},
	{in: "2025.03.15 까지", want: "2025-03-15", kind: KindExpiry},
	{in: "USE BY 03/04/2026", want: "2026-03-04"},
	{in: "EXP 2026.13.01", want: ""},
	{in: "LOT L5039C116 EXP 04/2026", want: "2026-04"},
	{in: "TEL 0800 707 1234 VAL 09/2026", want: "2026-09"},
	{in: "CEP 04567-120 VAL 01/10/2026", want: "2026-10-01"},
}

func linesOf(in string) []Line {
	var lines []Line
	for _, l := range strings.Split(in, "\n") {
		lines = append(lines, Line{Text: l, Confidence: 0.9})
	}
	return lines
}

func TestFind(t *testing.T) { runFindCases(t, findCases) }

// checkResult asserts what must hold for any input; the fuzzer calls it too.
func checkResult(t *testing.T, lines []Line, res Result) {
	t.Helper()
	if res.Best != nil && res.Withheld != nil {
		t.Fatal("both Best and Withheld set")
	}
	bestFound := res.Top() == nil
	for i := range res.Candidates {
		c := &res.Candidates[i]
		if !c.Date.Valid() || c.Date.Year < minYear || c.Date.Year > maxYear {
			t.Fatalf("invalid date %+v", c.Date)
		}
		if c.Line < 0 || c.Line >= len(lines) {
			t.Fatalf("line %d out of range", c.Line)
		}
		text := lines[c.Line].Text
		if c.Start < 0 || c.Start >= c.End || c.End > len(text) || text[c.Start:c.End] != c.Text {
			t.Fatalf("span [%d:%d] of %q does not give %q", c.Start, c.End, text, c.Text)
		}
		if c.Score < 0 || c.Score > 1 || c.Confidence < 0 || c.Confidence > 1 {
			t.Fatalf("score %v confidence %v out of range", c.Score, c.Confidence)
		}
		if c.Precision == PrecisionMonth && c.Date.Day != daysIn(c.Date.Year, c.Date.Month) {
			t.Fatalf("month precision date %s is not a month end", c.Date)
		}
		if c == res.Top() {
			bestFound = true
		}
	}
	if !bestFound {
		t.Fatalf("Best %+v is not one of the candidates", res.Best)
	}
	if len(res.Candidates) > 0 && res.Top() == nil {
		t.Fatal("candidates but neither Best nor Withheld")
	}
}

func TestOverlappingReadingsDeduplicated(t *testing.T) {
	res := ParseText("VAL 01.03.2026")
	if len(res.Candidates) != 1 {
		t.Fatalf("want one candidate for one date, got %+v", res.Candidates)
	}
}

func TestCandidateDetails(t *testing.T) {
	lines := []Line{{Text: "MFG : 26/11/2020 A", Confidence: 0.5}, {Text: "EXP : 26/11/2021 KRVK", Confidence: 1}}
	res := Find(lines, Options{})
	if len(res.Candidates) != 2 {
		t.Fatalf("got %d candidates", len(res.Candidates))
	}
	mfg, exp := res.Candidates[0], res.Candidates[1]
	if mfg.Kind != KindManufacture || exp.Kind != KindExpiry {
		t.Errorf("kinds %s, %s", mfg.Kind, exp.Kind)
	}
	if exp.Format != "DD/MM/YYYY" || exp.Text != "26/11/2021" || exp.Line != 1 || exp.Start != 6 {
		t.Errorf("expiry candidate %+v", exp)
	}
	if mfg.Confidence >= mfg.Score {
		t.Errorf("OCR confidence 0.5 should lower confidence below score: %v >= %v", mfg.Confidence, mfg.Score)
	}
	if !strings.Contains(exp.Reason, "after keyword EXP") {
		t.Errorf("reason %q", exp.Reason)
	}
}

func TestBestDoesNotDependOnToday(t *testing.T) {
	// An expired product must still report its printed expiry, not a later noise date.
	res := ParseText("VAL 01/01/2011 12/2059")
	if res.Best == nil || res.Best.Date.String() != "2011-01-01" {
		t.Fatalf("got %+v", res.Best)
	}
}

func TestAccentedTextOffsets(t *testing.T) {
	line := "VALIDAÇÃO: 15 março 2026"
	res := ParseText(line)
	if res.Best == nil || res.Best.Text != "15 março 2026" || line[res.Best.Start:res.Best.End] != res.Best.Text {
		t.Fatalf("got %+v", res.Best)
	}
}

func TestFoldTables(t *testing.T) {
	if len(latinA) != 0x80 || len(latin1) != 0x40 {
		t.Fatalf("latinA %d, latin1 %d", len(latinA), len(latin1))
	}
}

func TestAmbiguousReadingReportsAlternative(t *testing.T) {
	cases := []struct {
		in, want, alt, reason string
		opt                   Options
	}{
		{in: "02/12/22", want: "2022-12-02", alt: "2022-02-12", reason: "day first (default)"},
		{in: "02/12/22", want: "2022-02-12", alt: "2022-12-02", reason: "month first (locale option)", opt: Options{PreferMonthFirst: true}},
		{in: "BEST BY 02/12/22", want: "2022-02-12", alt: "2022-12-02", reason: "month first (US keyword BEST BY)"},
		{in: "MFG 02/13/22\nEXP 02/12/24", want: "2024-02-12", alt: "2024-12-02", reason: "as another date in the block"},
		{in: "EXP 25/12/2024", want: "2024-12-25", reason: "day first (first part > 12)"},
	}
	for _, c := range cases {
		res := Find(linesOf(c.in), c.opt)
		b := res.Best
		if b == nil || b.Date.String() != c.want || !strings.Contains(b.Reason, c.reason) {
			t.Errorf("%q: got %+v, want %s because %q", c.in, b, c.want, c.reason)
			continue
		}
		got := ""
		if !b.Alternative.IsZero() {
			got = b.Alternative.String()
		}
		if got != c.alt {
			t.Errorf("%q: alternative %q, want %q", c.in, got, c.alt)
		}
	}
}
