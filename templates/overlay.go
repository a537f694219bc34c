package templates

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// Overlay returns a file system where the files under dir (the operator's
// templates_dir, laid out like FS: email/…, web/…) take precedence over the
// same names in base. Files only in base still show through, so an operator
// may override one template and keep the rest. dir "" returns base.
func Overlay(dir string, base fs.FS) fs.FS {
	if dir == "" {
		return base
	}
	return overlayFS{top: os.DirFS(dir), base: base}
}

type overlayFS struct {
	top, base fs.FS
}

// Open prefers the operator's file; a directory present in both opens as
// the base one, but ReadDir below merges their listings.
func (o overlayFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := o.top.Open(name)
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if bf, berr := o.base.Open(name); berr == nil {
		return bf, nil
	}
	return o.top.Open(name)
}

// ReadDir merges both listings so that fs.Glob (and so ParseFS) sees files
// that exist only in the operator's directory.
func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(o.top, name)
	base, berr := fs.ReadDir(o.base, name)
	if terr != nil && berr != nil {
		return nil, terr
	}
	seen := make(map[string]bool, len(top))
	out := make([]fs.DirEntry, 0, len(top)+len(base))
	for _, e := range top {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
