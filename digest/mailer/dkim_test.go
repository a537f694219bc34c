package mailer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// dkimKey returns a PEM private key and the DNS TXT record publishing it.
func dkimKey(tb testing.TB, kind string) (pemKey []byte, txt string) {
	tb.Helper()
	var (
		priv crypto.Signer
		pub  []byte
		err  error
	)
	switch kind {
	case "rsa":
		k, gerr := rsa.GenerateKey(rand.Reader, 2048)
		if gerr != nil {
			tb.Fatal(gerr)
		}
		priv = k
		pub, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
		pemKey = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	case "ed25519":
		pk, k, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			tb.Fatal(gerr)
		}
		priv, pub = k, pk
		der, merr := x509.MarshalPKCS8PrivateKey(k)
		if merr != nil {
			tb.Fatal(merr)
		}
		pemKey = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	if err != nil || priv == nil {
		tb.Fatalf("key %s: %v", kind, err)
	}
	return pemKey, "v=DKIM1; k=" + kind + "; p=" + base64.StdEncoding.EncodeToString(pub)
}

// verifyDKIM checks raw's signature against txt published for wk._domainkey.example.org.
func verifyDKIM(tb testing.TB, raw []byte, txt string) {
	tb.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "wk._domainkey.example.org" {
				return nil, errors.New("no such record: " + domain)
			}
			return []string{txt}, nil
		},
	})
	if err != nil || len(vs) != 1 {
		tb.Fatalf("verify: %d signatures, %v", len(vs), err)
	}
	v := vs[0]
	if v.Err != nil || v.Domain != "example.org" {
		tb.Fatalf("signature for %q does not verify: %v\n%s", v.Domain, v.Err, raw)
	}
	signed := strings.ToLower(strings.Join(v.HeaderKeys, ":"))
	for _, h := range []string{"from", "subject", "list-unsubscribe", "list-unsubscribe-post"} {
		if !strings.Contains(signed, h) {
			tb.Errorf("h= %s lacks %s", signed, h)
		}
	}
}

func TestComposeDKIM(t *testing.T) {
	for _, kind := range []string{"rsa", "ed25519"} {
		t.Run(kind, func(t *testing.T) {
			key, txt := dkimKey(t, kind)
			cfg := baseConfig()
			cfg.DKIMSelector, cfg.DKIMKey = "wk", key
			msg, _, err := Compose(cfg, baseMessage())
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := msg.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			verifyDKIM(t, buf.Bytes(), txt)

			// Without an unsubscribe URL two signed headers are absent.
			plain, _, err := Compose(cfg, Message{To: "a@example.net", Subject: "Welcome", Text: "Confirm?"})
			if err != nil {
				t.Fatal(err)
			}
			var pbuf bytes.Buffer
			if _, err := plain.WriteTo(&pbuf); err != nil {
				t.Fatal(err)
			}
			verifyDKIM(t, pbuf.Bytes(), txt)

			// Changing the unsubscribe target after signing must break it.
			tampered := bytes.Replace(buf.Bytes(), []byte("https://example.org/u/tok"), []byte("https://evil.example/u/tok"), 1)
			vs, _ := dkim.VerifyWithOptions(bytes.NewReader(tampered), &dkim.VerifyOptions{
				LookupTXT: func(string) ([]string, error) { return []string{txt}, nil },
			})
			if len(vs) != 1 || vs[0].Err == nil {
				t.Error("tampered List-Unsubscribe still verifies")
			}
		})
	}
}

func TestDKIMConfigErrors(t *testing.T) {
	key, _ := dkimKey(t, "ed25519")
	for _, tt := range []struct {
		name     string
		selector string
		key      []byte
	}{
		{"selector without key", "wk", nil},
		{"key without selector", "", key},
		{"garbage key", "wk", []byte("not a key")},
	} {
		cfg := baseConfig()
		cfg.DKIMSelector, cfg.DKIMKey = tt.selector, tt.key
		if _, _, err := Compose(cfg, baseMessage()); !errors.Is(err, digest.ErrInvalid) || !strings.Contains(err.Error(), "DKIM") {
			t.Errorf("%s: err = %v, want an ErrInvalid naming DKIM", tt.name, err)
		}
	}
}

func TestSendDKIMSurvivesSMTP(t *testing.T) {
	mp := mailpittest.Start(t)
	key, txt := dkimKey(t, "rsa")
	cfg := testConfig(mp)
	cfg.DKIMSelector, cfg.DKIMKey = "wk", key
	s := newTestSender(t, cfg)
	m := baseMessage()
	m.Text = strings.Repeat("A long line of text that quoted-printable has to wrap somewhere along the way. ", 20) + "\n.\n..leading dots\n"
	m.HTML = "<p>" + m.Text + "</p>"
	// In parallel: the signer is shared by every connection.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Send(context.Background(), m); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mp.WaitCount(t, 4, 5*time.Second)
	for _, sum := range mp.Messages(t) {
		verifyDKIM(t, mp.Raw(t, sum.ID), txt)
	}
}
