package mailcheck

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"

	"golang.org/x/net/html"
)

// Parts is what the checks look at in a message.
type Parts struct {
	HTML, Text string
	// ListUnsubscribe and ListUnsubscribePost are the headers' values
	// (RFC 2369, RFC 8058); empty when absent.
	ListUnsubscribe, ListUnsubscribePost string
}

// maxPart bounds what is read of one part: far above any newsletter.
const maxPart = 16 << 20

func parseMessage(r io.Reader) (Parts, error) {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return Parts{}, fmt.Errorf("read message: %w", err)
	}
	p := Parts{
		ListUnsubscribe:     m.Header.Get("List-Unsubscribe"),
		ListUnsubscribePost: m.Header.Get("List-Unsubscribe-Post"),
	}
	err = walkPart(&p, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, 0)
	return p, err
}

// walkPart collects the first text/plain and text/html parts, descending
// into multiparts.
func walkPart(p *Parts, ctype, cte string, body io.Reader, depth int) error {
	if ctype == "" {
		ctype = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth > 5 {
			return nil
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := walkPart(p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part, depth+1); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: body})
	}
	data, err := io.ReadAll(io.LimitReader(body, maxPart))
	if err != nil {
		return fmt.Errorf("%s part: %w", mt, err)
	}
	switch {
	case mt == "text/html" && p.HTML == "":
		p.HTML = string(data)
	case mt == "text/plain" && p.Text == "":
		p.Text = string(data)
	}
	return nil
}

// stripNewlines drops CR and LF so base64 lines decode as one stream.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	j := 0
	for _, c := range b[:n] {
		if c != '\r' && c != '\n' {
			b[j] = c
			j++
		}
	}
	return j, err
}

func parseHTML(s string) *html.Node {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		// html.Parse only fails on reader errors; a strings.Reader has none.
		return &html.Node{Type: html.DocumentNode}
	}
	return doc
}

func walk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}
