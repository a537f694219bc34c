package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// TestImportInvite: without --invite, import says the rows are pending
// and how to invite them; with it, each pending row of the file (new or
// already on the list) gets one confirmation email through the outbox,
// whose link confirms them; a second --invite right away sends none.
func TestImportInvite(t *testing.T) {
	e := newEnv(t, envOpts{Mailpit: true})
	e.mustRun(t, "subscribers", "add", "--pending", "old@example.org")
	e.mustRun(t, "subscribers", "add", "done@example.org")
	csv := filepath.Join(e.dir, "list.csv")
	if err := os.WriteFile(csv, []byte("email,name\nann@example.org,Ann\nbob@example.org,Bob\nold@example.org,\ndone@example.org,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := e.mustRun(t, "subscribers", "import", csv)
	if !strings.Contains(out, "imported 2, already on the list 2") || !strings.Contains(out, "3 subscribers are pending") ||
		!strings.Contains(out, "--invite") {
		t.Errorf("import without --invite: %s", out)
	}
	if n := e.mp.Count(t); n != 0 {
		t.Fatalf("import without --invite mailed %d messages", n)
	}
	out = e.mustRun(t, "subscribers", "import", "--invite", csv)
	if !strings.Contains(out, "queued 3 confirmation emails") || !strings.Contains(out, "sent 3 confirmations now") {
		t.Errorf("import --invite: %s", out)
	}
	if n := e.mp.WaitCount(t, 3, 10*time.Second); n != 3 {
		t.Fatalf("Mailpit holds %d messages, want 3 confirmations", n)
	}
	links := map[string]string{}
	for _, s := range e.mp.Messages(t) {
		m := e.mp.Message(t, s.ID)
		links[m.To[0].Address] = confirmLink.FindString(m.Text)
	}
	if links["done@example.org"] != "" || links["ann@example.org"] == "" || links["old@example.org"] == "" {
		t.Fatalf("confirmations went to %v", links)
	}
	// Again at once: the per-address allowance holds.
	out = e.mustRun(t, "subscribers", "import", "--invite", csv)
	if !strings.Contains(out, "queued 0 confirmation emails; 3 addresses had one within web.confirm_every") {
		t.Errorf("second import --invite: %s", out)
	}
	if n := e.mp.Count(t); n != 3 {
		t.Errorf("a second --invite mailed again: %d messages", n)
	}
	// Ann's link confirms her.
	u, err := url.Parse(links["ann@example.org"])
	if err != nil {
		t.Fatal(err)
	}
	srv := newWebServer(t, e)
	resp, err := http.Post(srv.URL+u.Path, "application/x-www-form-urlencoded", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	a := &app{configPath: e.config}
	defer a.Close()
	st, err := a.openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sub, err := st.SubscriberByEmail(context.Background(), "ann@example.org"); err != nil || sub.Status != digest.StatusConfirmed {
		t.Errorf("after the invitation's link (status %d): %+v, %v", resp.StatusCode, sub, err)
	}
	if _, _, err := e.run(t, "subscribers", "import", "--invite", "--confirmed", csv); err == nil {
		t.Error("--invite with --confirmed accepted")
	}
}
