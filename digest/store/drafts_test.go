package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/pgtest"
)

// deskStore is what the drafts suite needs of an implementation.
type deskStore interface {
	digest.Store
	digest.DraftStore
	CreateSignIn(ctx context.Context, editor string, expires time.Time) (int64, error)
	UseSignIn(ctx context.Context, id int64, now time.Time) (string, error)
	CreateSession(ctx context.Context, hash, editor string, expires time.Time) error
	SessionEditor(ctx context.Context, hash string, now time.Time) (string, error)
	DeleteSession(ctx context.Context, hash string) error
}

func testDrafts(t *testing.T, open opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s deskStore)
	}{
		{"Lifecycle", testDraftLifecycle},
		{"Links", testDraftLinks},
		{"TextConflicts", testDraftTextConflicts},
		{"ConcurrentEditors", testDraftConcurrentEditors},
		{"Claims", testDraftClaims},
		{"SignIns", testDeskSignIns},
		{"Sessions", testDeskSessions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := open(t).(deskStore)
			if !ok {
				t.Fatal("the store does not implement the desk's interfaces")
			}
			tt.fn(t, s)
		})
	}
}

func TestSQLiteDrafts(t *testing.T) { testDrafts(t, openSQLiteTest) }

func TestPostgresDrafts(t *testing.T) {
	pgtest.URL(t)
	testDrafts(t, openPostgresTest)
}

func sampleDraft(n int) digest.Draft {
	return digest.Draft{Slot: slot(n), Articles: []string{"a", "b"}, BuiltAt: slot(n).Add(-24 * time.Hour),
		Issue: digest.Issue{Slot: slot(n), Intro: "Intro", Top: []digest.Entry{{Article: digest.Article{ID: "a", Title: "A"}}}}}
}

func mustDraft(t *testing.T, s deskStore, n int) digest.Draft {
	t.Helper()
	d, created, err := s.CreateDraft(context.Background(), sampleDraft(n))
	if err != nil || !created {
		t.Fatalf("create draft %d: created %v, %v", n, created, err)
	}
	return d
}

func testDraftLifecycle(t *testing.T, s deskStore) {
	ctx := context.Background()
	if _, err := s.CurrentDraft(ctx); !errors.Is(err, digest.ErrNotFound) {
		t.Fatalf("no draft yet: %v", err)
	}
	d := mustDraft(t, s, 1)
	if d.State != digest.DraftOpen || d.Version != 1 || !d.Slot.Equal(slot(1)) || d.Issue.Top[0].Article.Title != "A" || len(d.Articles) != 2 {
		t.Fatalf("created draft: %+v", d)
	}
	again := sampleDraft(1)
	again.Issue.Intro = "Another build"
	d2, created, err := s.CreateDraft(ctx, again)
	if err != nil || created || d2.Issue.Intro != "Intro" {
		t.Fatalf("second create for the slot must keep the first: created %v, intro %q, %v", created, d2.Issue.Intro, err)
	}
	cur, err := s.CurrentDraft(ctx)
	if err != nil || !cur.Slot.Equal(slot(1)) {
		t.Fatalf("current: %+v %v", cur, err)
	}
	// An edit and a rebuild each bump the version; the rebuild keeps the edit.
	e, err := s.AddEdit(ctx, digest.Edit{Slot: slot(1), Story: "a", Kind: digest.EditPin, Editor: "ed@example.org"}, 0)
	if err != nil || e.ID == 0 || e.At.IsZero() {
		t.Fatalf("edit: %+v %v", e, err)
	}
	rb := sampleDraft(1)
	rb.Issue.Intro, rb.Articles = "Rebuilt", []string{"a", "b", "c"}
	d, err = s.RebuildDraft(ctx, rb)
	if err != nil || d.Version != 3 || d.Issue.Intro != "Rebuilt" || len(d.Articles) != 3 {
		t.Fatalf("rebuild: %+v %v", d, err)
	}
	// Approval names the version the editor saw.
	_, err = s.SetDraftState(ctx, slot(1), []digest.DraftState{digest.DraftOpen}, digest.DraftApproved, 2,
		digest.Edit{Kind: digest.EditApprove, Editor: "ed@example.org"})
	if !errors.Is(err, digest.ErrConflict) {
		t.Fatalf("approving an old version: %v, want ErrConflict", err)
	}
	d, err = s.SetDraftState(ctx, slot(1), []digest.DraftState{digest.DraftOpen}, digest.DraftApproved, 3,
		digest.Edit{Kind: digest.EditApprove, Editor: "ed@example.org"})
	if err != nil || d.State != digest.DraftApproved || d.Version != 4 {
		t.Fatalf("approve: %+v %v", d, err)
	}
	// Approved means frozen.
	if _, err := s.AddEdit(ctx, digest.Edit{Slot: slot(1), Story: "a", Kind: digest.EditDrop, Editor: "x@example.org"}, 0); !errors.Is(err, digest.ErrConflict) {
		t.Errorf("edit of an approved draft: %v", err)
	}
	if _, err := s.RebuildDraft(ctx, rb); !errors.Is(err, digest.ErrConflict) {
		t.Errorf("rebuild of an approved draft: %v", err)
	}
	edits, err := s.Edits(ctx, slot(1))
	if err != nil || len(edits) != 2 || edits[0].Kind != digest.EditPin || edits[1].Kind != digest.EditApprove || edits[1].Editor != "ed@example.org" {
		t.Fatalf("history: %+v %v", edits, err)
	}
	if err := s.MarkDraftSent(ctx, slot(1), 7); err != nil {
		t.Fatal(err)
	}
	d, _ = s.Draft(ctx, slot(1))
	if d.State != digest.DraftSent || d.Number != 7 {
		t.Errorf("after sending: %+v", d)
	}
	if _, err := s.CurrentDraft(ctx); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("a sent draft is not current: %v", err)
	}
	if _, err := s.Draft(ctx, slot(9)); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("missing draft: %v", err)
	}
	if _, err := s.AddEdit(ctx, digest.Edit{Slot: slot(9), Story: "a", Kind: digest.EditPin, Editor: "x"}, 0); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("edit of a missing draft: %v", err)
	}
}

func testDraftLinks(t *testing.T, s deskStore) {
	ctx := context.Background()
	pooled, err := s.AddLink(ctx, digest.Link{URL: "https://example.org/one", Note: "note\x00 with NUL \xff", AddedBy: "api",
		Article: digest.Article{ID: "https://example.org/one", Title: "One"}})
	if err != nil || pooled.ID == 0 || !pooled.Slot.IsZero() {
		t.Fatalf("link without a draft must wait in the pool: %+v %v", pooled, err)
	}
	d := mustDraft(t, s, 1)
	if d.Version != 1 {
		t.Errorf("version %d", d.Version)
	}
	got, err := s.Links(ctx, slot(1))
	if err != nil || len(got) != 1 || got[0].Article.Title != "One" || strings.ContainsRune(got[0].Note, 0) {
		t.Fatalf("the new draft must claim the pool: %+v %v", got, err)
	}
	if pool, _ := s.Links(ctx, time.Time{}); len(pool) != 0 {
		t.Errorf("pool not emptied: %+v", pool)
	}
	two, err := s.AddLink(ctx, digest.Link{URL: "https://example.org/two", AddedBy: "ed@example.org", Article: digest.Article{ID: "two"}})
	if err != nil || !two.Slot.Equal(slot(1)) {
		t.Fatalf("link with an open draft joins it: %+v %v", two, err)
	}
	d, _ = s.Draft(ctx, slot(1))
	edits, _ := s.Edits(ctx, slot(1))
	if d.Version != 2 || len(edits) != 1 || edits[0].Kind != digest.EditLink || edits[0].Story != "two" || edits[0].Editor != "ed@example.org" {
		t.Errorf("adding a link must bump the version and be in the history: v%d %+v", d.Version, edits)
	}
	if _, err := s.SetDraftState(ctx, slot(1), []digest.DraftState{digest.DraftOpen}, digest.DraftApproved, 0, digest.Edit{Kind: digest.EditApprove, Editor: "cli"}); err != nil {
		t.Fatal(err)
	}
	three, err := s.AddLink(ctx, digest.Link{URL: "https://example.org/three", AddedBy: "api", Article: digest.Article{ID: "three"}})
	if err != nil || !three.Slot.IsZero() {
		t.Fatalf("an approved draft is frozen: the link waits for the next: %+v %v", three, err)
	}
	if ls, _ := s.Links(ctx, slot(1)); len(ls) != 2 {
		t.Errorf("approved draft has %d links, want 2", len(ls))
	}
	if _, err := s.AddLink(ctx, digest.Link{AddedBy: "api"}); !errors.Is(err, digest.ErrInvalid) {
		t.Errorf("link without URL: %v", err)
	}
}

func testDraftTextConflicts(t *testing.T, s deskStore) {
	ctx := context.Background()
	mustDraft(t, s, 1)
	sum := func(editor, value string, base int64) (digest.Edit, error) {
		return s.AddEdit(ctx, digest.Edit{Slot: slot(1), Story: "a", Kind: digest.EditSummary, Value: value, Editor: editor}, base)
	}
	first, err := sum("ann@example.org", "Ann's summary", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Bob started from the original text too: his save must not silently
	// replace Ann's.
	if _, err := sum("bob@example.org", "Bob's summary", 0); !errors.Is(err, digest.ErrConflict) {
		t.Fatalf("stale summary edit: %v, want ErrConflict", err)
	}
	if _, err := sum("bob@example.org", "Bob's summary, having read Ann's", first.ID); err != nil {
		t.Fatalf("edit based on the latest: %v", err)
	}
	// Another story's summary and the headline of the same story are independent.
	if _, err := s.AddEdit(ctx, digest.Edit{Slot: slot(1), Story: "a", Kind: digest.EditHeadline, Value: "H", Editor: "bob@example.org"}, 0); err != nil {
		t.Errorf("headline: %v", err)
	}
	edits, _ := s.Edits(ctx, slot(1))
	if len(edits) != 3 {
		t.Errorf("%d edits recorded, want 3 (the refused one leaves nothing)", len(edits))
	}
}

func testDraftConcurrentEditors(t *testing.T, s deskStore) {
	ctx := context.Background()
	mustDraft(t, s, 1)
	const editors, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, editors*each)
	for e := range editors {
		wg.Go(func() {
			for i := range each {
				_, err := s.AddEdit(ctx, digest.Edit{Slot: slot(1), Story: fmt.Sprintf("s%d-%d", e, i), Kind: digest.EditDrop,
					Editor: fmt.Sprintf("ed%d@example.org", e)}, 0)
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	edits, err := s.Edits(ctx, slot(1))
	if err != nil || len(edits) != editors*each {
		t.Fatalf("%d edits kept of %d, %v", len(edits), editors*each, err)
	}
	d, _ := s.Draft(ctx, slot(1))
	if d.Version != 1+editors*each {
		t.Errorf("version %d, want %d: every edit bumps it once", d.Version, 1+editors*each)
	}
}

func testDraftClaims(t *testing.T, s deskStore) {
	ctx := context.Background()
	mustDraft(t, s, 1)
	for i, want := range []bool{true, false} {
		if ok, err := s.ClaimReminder(ctx, slot(1), 1); err != nil || ok != want {
			t.Errorf("reminder 1, try %d: %v %v", i, ok, err)
		}
	}
	if ok, _ := s.ClaimReminder(ctx, slot(1), 2); !ok {
		t.Error("reminder 2 after 1")
	}
	built := slot(1).Add(-24 * time.Hour)
	if ok, _ := s.ClaimRefresh(ctx, slot(1), built.Add(10*time.Minute), built.Add(-20*time.Minute)); ok {
		t.Error("a refresh 10 minutes after the build must wait for the interval")
	}
	now := slot(1).Add(-time.Hour)
	if ok, _ := s.ClaimRefresh(ctx, slot(1), now, now.Add(-30*time.Minute)); !ok {
		t.Error("first refresh")
	}
	if ok, _ := s.ClaimRefresh(ctx, slot(1), now.Add(time.Minute), now.Add(-29*time.Minute)); ok {
		t.Error("a refresh a minute later must wait for the interval")
	}
	if ok, _ := s.ClaimRefresh(ctx, slot(1), now.Add(31*time.Minute), now.Add(time.Minute)); !ok {
		t.Error("refresh after the interval")
	}
}

func testDeskSignIns(t *testing.T, s deskStore) {
	ctx := context.Background()
	now := time.Now()
	id, err := s.CreateSignIn(ctx, "ed@example.org", now.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// Many tabs at once: exactly one gets in.
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for range 6 {
		wg.Go(func() {
			ed, err := s.UseSignIn(ctx, id, now)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && ed == "ed@example.org":
				ok++
			case !errors.Is(err, digest.ErrConflict):
				t.Errorf("reuse: %v, want ErrConflict", err)
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Errorf("%d uses of one sign-in link succeeded, want 1", ok)
	}
	if _, err := s.UseSignIn(ctx, id+1000, now); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("unknown link: %v", err)
	}
	old, _ := s.CreateSignIn(ctx, "ed@example.org", now.Add(-time.Minute))
	if _, err := s.UseSignIn(ctx, old, now); !errors.Is(err, digest.ErrExpired) {
		t.Errorf("expired link: %v", err)
	}
}

func testDeskSessions(t *testing.T, s deskStore) {
	ctx := context.Background()
	now := time.Now()
	if err := s.CreateSession(ctx, "h1", "ed@example.org", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, "h2", "admin", now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ed, err := s.SessionEditor(ctx, "h1", now); err != nil || ed != "ed@example.org" {
		t.Errorf("live session: %q %v", ed, err)
	}
	if _, err := s.SessionEditor(ctx, "h2", now); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	if _, err := s.SessionEditor(ctx, "h1", now.Add(2*time.Hour)); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("session past its time: %v", err)
	}
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionEditor(ctx, "h1", now); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("ended session: %v", err)
	}
}
