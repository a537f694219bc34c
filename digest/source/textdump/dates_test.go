package textdump

import (
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestFindDateForms(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Published: 3 Jan 2019", day(2019, 1, 3)},
		{"3. Januar 2019", day(2019, 1, 3)},
		{"2019-01-03", day(2019, 1, 3)},
		{"Sep 21, 2011 2:10 AM", time.Date(2011, 9, 21, 2, 10, 0, 0, time.UTC)},
		{"Publié le 12 mars 2020 à 14h05", day(2020, 3, 12)},
		{"12 de marzo de 2020", day(2020, 3, 12)},
		{"Opublikowano: 16 marca 2021", day(2021, 3, 16)},
		{"Gepubliceerd op 3 februari 2022", day(2022, 2, 3)},
		{"13 января 2015 г.", day(2015, 1, 13)},
		{"Dezember 10, 2019 · von Autor", day(2019, 12, 10)},
		{"2020年3月12日", day(2020, 3, 12)},
		{"2020년 3월 12일", day(2020, 3, 12)},
		{"2019.12.10", day(2019, 12, 10)},
		{"8.Dezember 2010 um 09:43", time.Date(2010, 12, 8, 9, 43, 0, 0, time.UTC)},
		{"13.\u20091.\u20092020", day(2020, 1, 13)},
		{"14. 01. 2020, 13:47", time.Date(2020, 1, 14, 13, 47, 0, 0, time.UTC)},
		{"Created 03-10-2004", day(2004, 3, 10)},
		{"am 5.\u00a0Mai 2021", day(2021, 5, 5)},
		// What dumps do to datelines: text glued before, a copy after.
		{"Anna Schmidt3.11.2023", day(2023, 11, 3)},
		{"Redaktion7. Januar 2022", day(2022, 1, 7)},
		{"1. November 20161. November 2016", day(2016, 11, 1)},
		{"17/11/201917/11/2019", day(2019, 11, 17)},
		{"Veröffentlicht am Dezember 29, 2021Dezember 29, 2021", day(2021, 12, 29)},
	}
	for _, tt := range tests {
		m, ok := findDate(tt.in)
		if !ok || !m.t.Equal(tt.want) {
			t.Errorf("findDate(%q) = %v, %v; want %v", tt.in, m.t, ok, tt.want)
		}
	}
	for _, in := range []string{"version 1.2.3", "IP 192.168.1.10", "score 3-1-22", "route 66 to 1999 Main St", "Mai ist schön", "call 030-1234-5678"} {
		if m, ok := findDate(in); ok {
			t.Errorf("findDate(%q) = %v, want none", in, m.t)
		}
	}
}

func TestNumericDatesFollowThePage(t *testing.T) {
	lines := func(ss ...string) []line {
		var out []line
		for _, s := range ss {
			out = append(out, line{text: s})
		}
		return out
	}
	english := strings.Repeat("The council said that the ferries and the boats of the town will run. ", 6)
	german := strings.Repeat("Der Rat sagte, dass die Fähren und die Boote der Stadt fahren werden. ", 6)
	tests := []struct {
		name  string
		page  []line
		date  string
		month time.Month
		dayN  int
	}{
		{"day first, said by another date on the page", lines("Posted 25/12/2020", "03/05/2022"), "03/05/2022", time.May, 3},
		{"month first, said by another date", lines("Posted 12/25/2020", "03/05/2022"), "03/05/2022", time.March, 5},
		{"english page, slashes", lines(english), "03/05/2022", time.March, 5},
		{"german page, slashes", lines(german), "03/05/2022", time.May, 3},
		{"dots are day first", lines(english), "03.05.2022", time.May, 3},
		{"dots month first when the page says so", lines("12.25.2020"), "03.05.2022", time.March, 5},
	}
	for _, tt := range tests {
		o := pageOrder(tt.page)
		m, ok := findDateOrder(tt.date, o)
		if !ok || m.t.Month() != tt.month || m.t.Day() != tt.dayN {
			t.Errorf("%s: %s read as %v, want %s %d", tt.name, tt.date, m.t, tt.month, tt.dayN)
		}
	}
}

const datedBody = "The councils of three harbour towns voted on Tuesday to run their ferries as one service, ending a decade of competing timetables that left travellers waiting at empty piers.\n\n" +
	"Under the plan the boats keep their crews and colours, but tickets are valid on every route and the schedules are drawn up together each spring by a small joint office.\n"

func TestExtractDates(t *testing.T) {
	saved := time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, dump string
		want       time.Time
		from       string
	}{
		{"english dateline", "Harbour Towns Share Their Ferries\nPublished: 3 Jan 2019\n\n" + datedBody, day(2019, 1, 3), digest.DateFromText},
		{"german dateline", "Häfen teilen sich die Fähren\nVeröffentlicht am 3. Januar 2019, 14:05 Uhr\n\n" + datedBody, time.Date(2019, 1, 3, 14, 5, 0, 0, time.UTC), digest.DateFromText},
		{"relative, english", "Harbour Towns Share Their Ferries\nUpdated 5 hours ago\n\n" + datedBody, saved.Add(-5 * time.Hour), digest.DateFromRelative},
		{"relative, german", "Häfen teilen sich die Fähren\nvor 2 Tagen\n\n" + datedBody, saved.AddDate(0, 0, -2), digest.DateFromRelative},
		{"relative, spanish", "Los puertos comparten sus ferris\nPublicado hace 3 días\n\n" + datedBody, saved.AddDate(0, 0, -3), digest.DateFromRelative},
		{"a date after the file was saved is not the article's", "Harbour Towns Share Their Ferries\nPublished: 3 Jan 2030\n\n" + datedBody, time.Time{}, ""},
		{"a bare future date is not the article's either", "Harbour Towns Share Their Ferries\n3 Jan 2030\n\n" + datedBody, time.Time{}, ""},
		{"no date: undated, whatever the file's time", "Harbour Towns Share Their Ferries\n\n" + datedBody, time.Time{}, ""},
		{"dateline far from the headline", "Harbour Towns Share Their Ferries\n\n" + datedBody + "\nShare\nPrint\nComments\nJobs\nContact\nAbout us\nNewsletter\nArchive\nStand: 04.03.2024\n", day(2024, 3, 4), digest.DateFromText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(tt.name, []byte(tt.dump), Options{ModTime: saved})
			if err != nil {
				t.Fatal(err)
			}
			got, want := a.Published, tt.want
			if tt.from == digest.DateFromRelative {
				// the library may keep the reference's clock or drop it
				got, want = got.Truncate(24*time.Hour), want.Truncate(24*time.Hour)
			}
			if !got.Equal(want) || a.PublishedFrom != tt.from {
				t.Errorf("published %v from %q, want %v from %q", a.Published, a.PublishedFrom, tt.want, tt.from)
			}
			if !a.Published.IsZero() && a.Published.Equal(saved) {
				t.Errorf("the file's time became the article's date")
			}
		})
	}
	// Without a file time, relative forms give no date.
	a, err := Extract("x", []byte("Harbour Towns Share Their Ferries\nUpdated 5 hours ago\n\n"+datedBody), Options{})
	if err != nil || !a.Published.IsZero() {
		t.Errorf("relative date without a reference time: %v, %v", a.Published, err)
	}
}

func BenchmarkFindDate(b *testing.B) {
	lines := []string{"Veröffentlicht am 3. Januar 2019, 14:05 Uhr", "By Jane Doe | March 3, 2019", "The council said on Tuesday that the ferries would run as one service from 2025 onwards.", "Home News Sport"}
	for b.Loop() {
		for _, l := range lines {
			findDate(l)
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "lines/s")
}

// TestRelativeDatelineLeavesTheBody checks that a dateline read as the
// article's date is not also a paragraph of its text.
func TestRelativeDatelineLeavesTheBody(t *testing.T) {
	dump := "Harbour Towns Share Their Ferries\n\n" + datedBody + "\nVeröffentlicht: vor 3 Tagen\n"
	a, err := Extract("x", []byte(dump), Options{ModTime: time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if a.PublishedFrom != digest.DateFromRelative || a.Published.Day() != 7 {
		t.Errorf("published %v from %q, want 7 May from %q", a.Published, a.PublishedFrom, digest.DateFromRelative)
	}
	if strings.Contains(a.Text(), "vor 3 Tagen") {
		t.Errorf("the dateline stayed in the body: %q", a.Text())
	}
}
