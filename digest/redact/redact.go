// Package redact hides credentials in URLs, connection strings and the
// errors that quote them, before they reach a log, a table or a page: the
// password in user:password@, and query parameters whose names say they
// hold a secret (password=, token=, api_key=, sig=, ...).
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces every secret.
const Mask = "xxxxx"

// secretWords are the parts of a query parameter's name that mark its
// value as a secret; "access_token", "apiKey" and "X-Amz-Signature" all
// match. A name that merely contains one ("author") does not.
var secretWords = []string{"password", "passwd", "pass", "pwd", "secret", "token", "key", "apikey",
	"auth", "authorization", "sig", "signature", "session", "sessionid", "sid", "credential",
	"credentials", "jwt", "sslpassword"}

var nameWord = regexp.MustCompile(`[a-z0-9]+`)

// SecretParam reports whether a query parameter named name holds a secret.
func SecretParam(name string) bool {
	n := strings.ToLower(name)
	for _, suffix := range []string{"password", "passwd", "token", "secret", "apikey", "signature"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	for _, w := range nameWord.FindAllString(n, -1) {
		for _, s := range secretWords {
			if w == s {
				return true
			}
		}
	}
	return false
}

// keepUser are the schemes whose bare user name (no password) is kept: a
// database role says where one connects, not how. Elsewhere a user name
// alone is often a token (https://TOKEN@host/...).
var keepUser = map[string]bool{"postgres": true, "postgresql": true}

// URL returns s with its credentials masked. s need not parse: anything
// that looks like userinfo or a secret parameter is masked anyway.
func URL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return Text(s)
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
		} else if !keepUser[strings.ToLower(u.Scheme)] {
			u.User = url.User(Mask)
		}
	}
	if u.RawQuery != "" {
		u.RawQuery = query(u.RawQuery)
	}
	return u.String()
}

// query masks secret parameters and keeps the rest byte for byte.
func query(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if ok && SecretParam(name) {
			parts[i] = k + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}

var (
	userinfo = regexp.MustCompile(`(://)[^/@\s?#]*@`)
	param    = regexp.MustCompile(`([?&;\s]|^)([A-Za-z0-9_.\-]+)=([^&\s"']*)`)
)

// Text masks URL credentials and secret parameters wherever they appear in
// free text (an error message quoting a URL, for instance).
func Text(s string) string {
	s = userinfo.ReplaceAllStringFunc(s, func(m string) string {
		info := strings.TrimSuffix(strings.TrimPrefix(m, "://"), "@")
		if user, _, ok := strings.Cut(info, ":"); ok {
			return "://" + user + ":" + Mask + "@"
		}
		return "://" + Mask + "@"
	})
	return param.ReplaceAllStringFunc(s, func(m string) string {
		sub := param.FindStringSubmatch(m)
		if !SecretParam(sub[2]) {
			return m
		}
		return sub[1] + sub[2] + "=" + Mask
	})
}

// Secrets returns the secret values in a URL (its password and secret
// parameters), to be scrubbed from messages that quote them in other forms.
func Secrets(s string) []string {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p)
		} else if !keepUser[strings.ToLower(u.Scheme)] && u.User.Username() != "" {
			out = append(out, u.User.Username())
		}
	}
	for k, vs := range u.Query() {
		if SecretParam(k) {
			for _, v := range vs {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// Error returns err with every secret (and any URL credentials) masked in
// its message; errors.Is and errors.As still see the original.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := Text(err.Error())
	for _, s := range secrets {
		if len(s) >= 3 { // shorter values would mask ordinary words
			msg = strings.ReplaceAll(msg, s, Mask)
			if e := url.QueryEscape(s); e != s {
				msg = strings.ReplaceAll(msg, e, Mask)
			}
		}
	}
	if msg == err.Error() {
		return err
	}
	return &redacted{msg: msg, err: err}
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }
