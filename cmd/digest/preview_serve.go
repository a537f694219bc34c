package main

import (
	"context"
	"fmt"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
	"github.com/weeklywrap/digest/digest/web"
	"github.com/weeklywrap/digest/templates"
)

// servePreview serves the preview page (web.Preview) of one built issue
// until ctx ends. The renderer is made again on every request, so the
// templates under templates_dir are read afresh.
func servePreview(ctx context.Context, a *app, is digest.Issue, addr string, announce func(string)) error {
	dir := ""
	if a.cfg.TemplatesDir != "" {
		dir = a.cfg.Resolve(a.cfg.TemplatesDir)
	}
	p, err := web.NewPreview(templates.FS, dir, func() (*render.Prepared, render.Personal, error) {
		r, err := a.renderer()
		if err != nil {
			return nil, render.Personal{}, err
		}
		prep, err := r.Prepare(&is)
		if err != nil {
			return nil, render.Personal{}, err
		}
		site := route.Site(a.cfg.Newsletter.BaseURL)
		return prep, render.Personal{Email: "reader@example.org", UnsubscribeURL: site.URL(route.Unsubscribe), PreferencesURL: site.URL(route.Home)}, nil
	})
	if err != nil {
		return err
	}
	if err := p.Serve(ctx, addr, announce); err != nil {
		return fmt.Errorf("preview --serve: %w", err)
	}
	return nil
}
