package main

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

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
)

// previewServer shows one built issue as the email at desktop and phone
// width and as plain text. Templates are read again on every request, and
// the page reloads itself when a template file changes, so an operator can
// edit templates_dir and watch.
type previewServer struct {
	a     *app
	issue digest.Issue
	dir   string // templates_dir, watched; "" for the embedded templates
}

var previewPage = template.Must(template.New("p").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Preview: {{.Subject}}</title>
<style>body{font:14px system-ui,sans-serif;margin:0;background:#eee;color:#222}header{padding:8px 16px;background:#222;color:#fff}
main{display:flex;gap:24px;padding:16px;align-items:flex-start;flex-wrap:wrap}figure{margin:0}figcaption{font-weight:600;margin:4px 0}
iframe{border:1px solid #999;background:#fff;height:85vh}pre{background:#fff;border:1px solid #999;padding:8px;height:85vh;overflow:auto;width:80ch;white-space:pre}</style>
</head><body><header>{{.Subject}} · templates: {{.Dir}} · reloads when they change</header>
<main><figure><figcaption>Desktop (600 px column)</figcaption><iframe src="/email" width="720" title="Email at desktop width"></iframe></figure>
<figure><figcaption>Phone (375 px)</figcaption><iframe src="/email" width="375" title="Email at phone width"></iframe></figure>
<figure><figcaption>Plain text</figcaption><pre id="text">{{.Text}}</pre></figure></main>
<script>let v="{{.Version}}";setInterval(async()=>{try{const r=await fetch("/version");const t=await r.text();if(t!==v)location.reload()}catch(e){}},1000)</script>
</body></html>`))

func (p *previewServer) prepared() (*render.Prepared, render.Personal, error) {
	r, err := p.a.renderer()
	if err != nil {
		return nil, render.Personal{}, err
	}
	prep, err := r.Prepare(&p.issue)
	if err != nil {
		return nil, render.Personal{}, err
	}
	base := p.a.cfg.Newsletter.BaseURL
	return prep, render.Personal{Email: "reader@example.org", UnsubscribeURL: base + "/unsubscribe", PreferencesURL: base + "/"}, nil
}

// version hashes the templates' names, sizes and times.
func (p *previewServer) version() string {
	h := sha256.New()
	if p.dir != "" {
		_ = filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
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

func (p *previewServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		prep, pe, err := p.prepared()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		dir := p.dir
		if dir == "" {
			dir = "built-in"
		}
		_ = previewPage.Execute(w, map[string]string{"Subject": prep.Subject(), "Text": prep.Text(pe), "Dir": dir, "Version": p.version()})
	})
	mux.HandleFunc("GET /email", func(w http.ResponseWriter, r *http.Request) {
		prep, pe, err := p.prepared()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(prep.HTML(pe)))
	})
	mux.HandleFunc("GET /text", func(w http.ResponseWriter, r *http.Request) {
		prep, pe, err := p.prepared()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(prep.Text(pe)))
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(p.version()))
	})
	return mux
}

// servePreview serves until ctx ends.
func servePreview(ctx context.Context, a *app, is digest.Issue, addr string, announce func(string)) error {
	p := &previewServer{a: a, issue: is}
	if a.cfg.TemplatesDir != "" {
		p.dir = a.cfg.Resolve(a.cfg.TemplatesDir)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("preview --serve: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: p.handler(), ReadHeaderTimeout: 10 * time.Second}
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
