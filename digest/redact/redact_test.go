package redact

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://digest:hunter2@db.internal:5432/digest?sslmode=require", "postgres://digest:xxxxx@db.internal:5432/digest?sslmode=require"},
		{"postgres://digest@db.internal/digest?sslmode=disable&password=hunter2", "postgres://digest@db.internal/digest?sslmode=disable&password=xxxxx"},
		{"postgresql://u@h/d?sslpassword=k3y&application_name=digest", "postgresql://u@h/d?sslpassword=xxxxx&application_name=digest"},
		{"https://feeds.example/rss?token=t0ken&page=2", "https://feeds.example/rss?token=xxxxx&page=2"},
		{"https://reader:s3cret@feeds.example/private.xml", "https://reader:xxxxx@feeds.example/private.xml"},
		{"https://ghp_abcdef123@feeds.example/x.atom", "https://xxxxx@feeds.example/x.atom"},
		{"https://feeds.example/x?access_token=a&apiKey=b&X-Amz-Signature=c&author=ann", "https://feeds.example/x?access_token=xxxxx&apiKey=xxxxx&X-Amz-Signature=xxxxx&author=ann"},
		{"https://feeds.example/plain.xml", "https://feeds.example/plain.xml"},
		{"digest.db", "digest.db"},
		{"/var/lib/digest/digest.db", "/var/lib/digest/digest.db"},
		{"http://u:p%zz@host/?token=x", "http://u:xxxxx@host/?token=xxxxx"}, // does not parse
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	in := `Get "https://reader:s3cret@feeds.example/x?token=t0ken": dial tcp: refused; password=hunter2 user=bob`
	got := Text(in)
	for _, secret := range []string{"s3cret", "t0ken", "hunter2"} {
		if strings.Contains(got, secret) {
			t.Errorf("Text left %q in %q", secret, got)
		}
	}
	if !strings.Contains(got, "user=bob") || !strings.Contains(got, "feeds.example") {
		t.Errorf("Text removed too much: %q", got)
	}
}

func TestError(t *testing.T) {
	base := errors.New("not found")
	dsn := "postgres://u@h/d?password=hunter2"
	err := Error(fmt.Errorf("connect with password hunter2 to %s: %w", dsn, base), Secrets(dsn)...)
	if strings.Contains(err.Error(), "hunter2") || !errors.Is(err, base) {
		t.Errorf("Error = %q (is base: %v)", err, errors.Is(err, base))
	}
	if Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
	plain := errors.New("nothing secret here")
	if Error(plain, "hunter2") != plain {
		t.Error("an error without secrets should come back as is")
	}
}
