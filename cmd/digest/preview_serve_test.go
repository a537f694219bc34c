package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weeklywrap/digest/templates"
)

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// preview --serve re-reads templates_dir on each request and its version
// changes when a template does, which makes the open page reload.
func TestPreviewServeReloadsTemplates(t *testing.T) {
	e := newEnv(t, envOpts{})
	tdir := filepath.Join(e.dir, "tpl")
	if err := os.MkdirAll(filepath.Join(tdir, "email"), 0o755); err != nil {
		t.Fatal(err)
	}
	txt, err := templates.FS.ReadFile("email/issue.txt.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	override := filepath.Join(tdir, "email", "issue.txt.tmpl")
	if err := os.WriteFile(override, append([]byte("CUSTOM HEADER ONE\n"), txt...), 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, append(data, []byte("templates_dir: "+tdir+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &app{configPath: e.config}
	t.Cleanup(a.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc, err := a.service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	is, _, err := svc.Build(ctx, svc.Slots.Next(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() { _ = servePreview(ctx, a, is, "127.0.0.1:0", func(u string) { urlc <- u }) }()
	base := <-urlc
	page := httpGet(t, base)
	if !strings.Contains(page, `src="/email" width="375"`) || !strings.Contains(page, "CUSTOM HEADER ONE") {
		t.Fatalf("preview page lacks the phone frame or the overridden text:\n%.500s", page)
	}
	if html := httpGet(t, base+"email"); !strings.Contains(html, "Milton Mueller") {
		t.Errorf("/email lacks the seed article")
	}
	v1 := httpGet(t, base+"version")
	time.Sleep(20 * time.Millisecond)
	if err := os.WriteFile(override, append([]byte("CUSTOM HEADER TWO\n"), txt...), 0o644); err != nil {
		t.Fatal(err)
	}
	if v2 := httpGet(t, base+"version"); v2 == v1 {
		t.Errorf("version did not change after a template edit")
	}
	if text := httpGet(t, base+"text"); !strings.Contains(text, "CUSTOM HEADER TWO") {
		t.Errorf("/text still renders the old template")
	}
}
