package mailer

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/weeklywrap/digest/internal/mailpittest"
)

// selfSigned writes a certificate for 127.0.0.1 and its key to a temp dir
// and returns their paths and a TLS config that trusts it.
func selfSigned(tb testing.TB) (certFile, keyFile string, trust *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, &tls.Config{RootCAs: pool}
}

func TestSendTLSModes(t *testing.T) {
	cert, key, trust := selfSigned(t)
	tests := []struct {
		name    string
		flags   []string
		server  Server
		wantErr bool
	}{
		{"starttls with a password", []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key},
			Server{TLS: "starttls", TLSConfig: trust, Username: "wrap", Password: "pw"}, false},
		{"plain text by choice, with a password", nil,
			Server{TLS: "none", Username: "wrap", Password: "pw"}, false},
		// Mandatory STARTTLS never falls back to plain text.
		{"starttls not offered", nil, Server{TLS: "starttls"}, true},
		{"untrusted certificate", []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key},
			Server{TLS: "starttls"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp := mailpittest.Start(t, tt.flags...)
			cfg := testConfig(mp)
			srv := tt.server
			srv.Host, srv.Port, srv.Timeout = mp.SMTPHost, mp.SMTPPort, 5*time.Second
			cfg.Servers = []Server{srv}
			s := newTestSender(t, cfg)
			_, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"})
			if tt.wantErr {
				var se *Error
				if !errors.As(err, &se) || se.Stage != StageConnect {
					t.Errorf("err = %v, want a connect error", err)
				}
				if n := mp.Count(t); n != 0 {
					t.Errorf("Mailpit got %d messages", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := mp.WaitCount(t, 1, 5*time.Second); n != 1 {
				t.Errorf("Mailpit got %d messages, want 1", n)
			}
		})
	}
}

// TestSendImplicitTLS uses go-smtp: the Mailpit helper always allows
// plain-text auth, which Mailpit refuses to combine with required TLS.
func TestSendImplicitTLS(t *testing.T) {
	certFile, keyFile, trust := selfSigned(t)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	if err != nil {
		t.Fatal(err)
	}
	d := &discard{}
	srv := gosmtp.NewServer(d)
	srv.Domain = "localhost"
	go srv.Serve(ln)
	defer srv.Close()

	s := newTestSender(t, Config{
		From:    "wrap@example.org",
		Servers: []Server{{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, TLS: "tls", TLSConfig: trust, Timeout: 5 * time.Second}},
	})
	if _, err := s.Send(context.Background(), Message{To: "a@example.net", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if d.n.Load() != 1 {
		t.Errorf("server got %d messages, want 1", d.n.Load())
	}
}

func TestServerConfigErrors(t *testing.T) {
	for _, srv := range []Server{{}, {Host: "smtp.example.org", TLS: "ssl3"}} {
		_, err := NewSender(Config{From: "wrap@example.org", Servers: []Server{srv}})
		if err == nil {
			t.Errorf("NewSender accepted server %+v", srv)
		}
	}
	if _, err := NewSender(Config{From: "wrap@example.org"}); err == nil {
		t.Error("NewSender accepted no servers")
	}
}
