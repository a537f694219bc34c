package config

import (
	"strings"
	"testing"
)

func TestSecretBits(t *testing.T) {
	weak := []string{"aaaaaaaaaaaaaaaa", "abcdabcdabcdabcd", "0123456789abcdef", "passwordpassword", "password12345678",
		"Summer2024!Summer2024!", "a1b2c3d4e5f6g7h8a1b2c3d4e5f6g7h8", "zyxwvutsrqponmlk"}
	for _, k := range weak {
		if b := SecretBits(k); b >= MinSecretBits {
			t.Errorf("%q: %.1f bits, want under %d", k, b, MinSecretBits)
		}
	}
	strong := []string{"d533f66d9bb839e45444a42ba6fbcd04", "nToaHYKij0fGjc/yCFNLls11NV+TEmMc", "0ddef23064add6e2",
		"correct horse battery staple", "test-secret-0123456789abcdef"}
	for _, k := range strong {
		if b := SecretBits(k); b < MinSecretBits {
			t.Errorf("%q: %.1f bits, want at least %d", k, b, MinSecretBits)
		}
	}
}

func TestCheckSecret(t *testing.T) {
	tests := []struct {
		secret, base, listen string
		err, warn            bool
	}{
		{"aaaaaaaaaaaaaaaa", "https://news.example.org", "127.0.0.1:8080", true, false},
		{"aaaaaaaaaaaaaaaa", "http://127.0.0.1:8080", "127.0.0.1:8080", false, true},
		{"aaaaaaaaaaaaaaaa", "http://127.0.0.1:8080", "0.0.0.0:8080", true, false},
		{DevSecret, "https://news.example.org", "127.0.0.1:8080", true, false},
		{DevSecret, "http://localhost:8080", "127.0.0.1:8080", false, true},
		{"d533f66d9bb839e45444a42ba6fbcd04", "https://news.example.org", "0.0.0.0:8080", false, false},
		// Rotation: every key counts, the old one too.
		{"d533f66d9bb839e45444a42ba6fbcd04 abcdabcdabcdabcd", "https://news.example.org", "127.0.0.1:8080", true, false},
	}
	for _, tt := range tests {
		c := Default()
		c.Path, c.Secret, c.Newsletter.BaseURL, c.Listen = "config.yaml", tt.secret, tt.base, tt.listen
		warns, err := c.CheckSecret()
		if (err != nil) != tt.err || (len(warns) > 0) != tt.warn {
			t.Errorf("%q at %s/%s: err %v, warnings %q", tt.secret, tt.base, tt.listen, err, warns)
		}
		if err != nil && (!strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "openssl rand")) {
			t.Errorf("the error should name the key and the fix: %v", err)
		}
		if err != nil && strings.Contains(err.Error(), tt.secret) {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
}

// The desk's and the links API's bearer tokens are judged like the secret:
// a guessable one on a public site is refused, named, and not quoted.
func TestCheckSecretJudgesTheTokens(t *testing.T) {
	strong := "d533f66d9bb839e45444a42ba6fbcd04"
	for _, tt := range []struct {
		admin, api, base string
		err, warn        bool
		names            string
	}{
		{"t0ken", "", "https://news.example.org", true, false, "web.admin_token"},
		{"", "abcabcabcabcabcabc", "https://news.example.org", true, false, "web.api_token"},
		{"", "short", "http://127.0.0.1:8080", false, true, "web.api_token"},
		{strong, "nToaHYKij0fGjc/yCFNLls11NV+TEmMc", "https://news.example.org", false, false, ""},
	} {
		c := Default()
		c.Path, c.Secret, c.Newsletter.BaseURL, c.Listen = "config.yaml", strong, tt.base, "127.0.0.1:8080"
		c.Web.AdminToken, c.Web.APIToken = tt.admin, tt.api
		warns, err := c.CheckSecret()
		if (err != nil) != tt.err || (len(warns) > 0) != tt.warn {
			t.Fatalf("admin %q api %q at %s: err %v, warnings %q", tt.admin, tt.api, tt.base, err, warns)
		}
		msg := strings.Join(warns, " ")
		if err != nil {
			msg = err.Error()
		}
		if !strings.Contains(msg, tt.names) || (tt.names != "" && !strings.Contains(msg, "openssl rand")) {
			t.Errorf("the message should name %s and the fix: %q", tt.names, msg)
		}
		for _, v := range []string{tt.admin, tt.api} {
			if v != "" && strings.Contains(msg, v) {
				t.Errorf("the message quotes the token %q: %q", v, msg)
			}
		}
	}
}

// The fix names as many keys as are weak, and DIGEST_SECRET only when the
// secret is one of them.
func TestCheckSecretFixFitsTheProblems(t *testing.T) {
	strong := "d533f66d9bb839e45444a42ba6fbcd04"
	for _, tt := range []struct {
		secret, admin string
		want, not     []string
	}{
		{DevSecret, "", []string{"set it to 32 random bytes", "DIGEST_SECRET"}, []string{"each"}},
		{strong, "t0ken", []string{"set it to 32 random bytes"}, []string{"each", "DIGEST_SECRET"}},
		{DevSecret, "t0ken", []string{"set each to 32 random bytes", "DIGEST_SECRET"}, nil},
	} {
		c := Default()
		c.Path, c.Secret, c.Newsletter.BaseURL, c.Listen = "config.yaml", tt.secret, "http://127.0.0.1:8080", "127.0.0.1:8080"
		c.Web.AdminToken = tt.admin
		warns, err := c.CheckSecret()
		if err != nil || len(warns) != 1 {
			t.Fatalf("secret %q admin %q: err %v, warnings %q", tt.secret, tt.admin, err, warns)
		}
		for _, w := range tt.want {
			if !strings.Contains(warns[0], w) {
				t.Errorf("secret %q admin %q: %q lacks %q", tt.secret, tt.admin, warns[0], w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(warns[0], w) {
				t.Errorf("secret %q admin %q: %q should not say %q", tt.secret, tt.admin, warns[0], w)
			}
		}
	}
}
