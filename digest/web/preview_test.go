package web

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/templates"
)

func previewGet(t *testing.T, h http.Handler, path string) (int, string, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// The preview page shows the email at two widths and its text; the
// version it polls changes when a file under the watched folder does.
func TestPreviewServesTheIssueAndNoticesTemplateEdits(t *testing.T) {
	p, _ := preparedIssue(t, "en", 1, "http://img.test")
	pe := render.Personal{Email: "reader@example.org", UnsubscribeURL: "http://wrap.test/unsubscribe"}
	dir := t.TempDir()
	pv, err := NewPreview(templates.FS, dir, func() (*render.Prepared, render.Personal, error) { return p, pe, nil })
	if err != nil {
		t.Fatal(err)
	}
	h := pv.Handler()
	code, _, page := previewGet(t, h, "/")
	if code != 200 || !strings.Contains(page, `src="/email" width="375"`) || !strings.Contains(page, "Headline 1.1") ||
		!strings.Contains(page, "templates: "+dir) {
		t.Fatalf("preview page: %d\n%.600s", code, page)
	}
	if code, ct, html := previewGet(t, h, "/email"); code != 200 || ct != "text/html; charset=utf-8" || html != p.HTML(pe) {
		t.Errorf("/email: %d %s, not the prepared HTML", code, ct)
	}
	if code, ct, text := previewGet(t, h, "/text"); code != 200 || ct != "text/plain; charset=utf-8" || text != p.Text(pe) {
		t.Errorf("/text: %d %s, not the prepared text", code, ct)
	}
	_, _, v1 := previewGet(t, h, "/version")
	if err := os.WriteFile(filepath.Join(dir, "issue.txt.tmpl"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, v2 := previewGet(t, h, "/version"); v2 == v1 || len(v2) != 16 {
		t.Errorf("version %q then %q after a template was written", v1, v2)
	}

	builtin, err := NewPreview(templates.FS, "", func() (*render.Prepared, render.Personal, error) {
		return nil, render.Personal{}, errors.New("template email/issue.html.tmpl: bad action")
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, body := previewGet(t, builtin.Handler(), "/"); code != 500 || !strings.Contains(body, "bad action") {
		t.Errorf("a template that fails: %d %q", code, body)
	}
}
