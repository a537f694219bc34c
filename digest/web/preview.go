package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/weeklywrap/digest/digest/render"
)

// Preview is the page of `digest preview --serve`: one built issue as the
// email at desktop and phone width and as plain text. Prepare renders it
// afresh on every request, so edited templates show at once, and the page
// reloads itself when a file under Dir changes, so an operator can edit
// templates_dir and watch. It is a tool page, not the site's: its own
// template is always the embedded one.
type Preview struct {
	// Prepare renders the issue, with the sample reader's links.
	Prepare func() (*render.Prepared, render.Personal, error)
	Dir     string // templates_dir, watched; "" for the embedded templates
	page    *template.Template
}

// NewPreview reads the page's template, web/preview.tmpl, from fsys.
func NewPreview(fsys fs.FS, dir string, prepare func() (*render.Prepared, render.Personal, error)) (*Preview, error) {
	page, err := template.ParseFS(fsys, "web/preview.tmpl")
	if err != nil {
		return nil, fmt.Errorf("preview page: %w", err)
	}
	return &Preview{Prepare: prepare, Dir: dir, page: page}, nil
}

// version hashes the templates' names, sizes and times.
func (p *Preview) version() string {
	h := sha256.New()
	if p.Dir != "" {
		_ = filepath.WalkDir(p.Dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					fmt.Fprintf(h, "%s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
				}
			}
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Handler serves the page at /, the email's HTML at /email, its text at
// /text, and at /version what the page polls to know when to reload.
func (p *Preview) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		prep, pe, err := p.Prepare()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		dir := p.Dir
		if dir == "" {
			dir = "built-in"
		}
		_ = p.page.Execute(w, map[string]string{"Subject": prep.Subject(), "Text": prep.Text(pe), "Dir": dir, "Version": p.version()})
	})
	mux.HandleFunc("GET /email", p.rendered("text/html; charset=utf-8", (*render.Prepared).HTML))
	mux.HandleFunc("GET /text", p.rendered("text/plain; charset=utf-8", (*render.Prepared).Text))
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(p.version()))
	})
	return mux
}

// rendered answers with one part of the freshly prepared issue.
func (p *Preview) rendered(contentType string, part func(*render.Prepared, render.Personal) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		prep, pe, err := p.Prepare()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(part(prep, pe)))
	}
}

// Serve listens on addr, says the page's URL to announce, and serves until
// ctx ends.
func (p *Preview) Serve(ctx context.Context, addr string, announce func(string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	announce("http://" + ln.Addr().String() + "/")
	if err := srv.Serve(ln); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
