// Package llm asks an OpenAI-compatible chat endpoint (a local Ollama, a
// llama.cpp server, or a hosted API) for article summaries, and checks
// every answer against its source before it is used. Any failure (timeout,
// HTTP error, malformed or ungrounded answer) is an error, and the caller
// keeps the extractive summary.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/weeklywrap/digest/digest/stopwords"
)

// Config names the endpoint.
type Config struct {
	URL          string        // base URL, e.g. http://127.0.0.1:11434/v1
	Model        string        // e.g. llama3.2
	APIKey       string        // sent as a Bearer token when set
	Timeout      time.Duration // per request; default 20s
	MinGrounding float64       // share of the answer's content words found in the article; default 0.8
	MaxInput     int           // words of the article sent; default 1500
}

// ErrUngrounded is returned when an answer says things the article does not.
var ErrUngrounded = errors.New("llm: answer not grounded in the article")

// Client calls the endpoint.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client; hc may be nil for a default client.
func New(cfg Config, hc *http.Client) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.MinGrounding <= 0 {
		cfg.MinGrounding = 0.8
	}
	if cfg.MaxInput <= 0 {
		cfg.MaxInput = 1500
	}
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, http: hc}
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	Stream      bool          `json:"stream"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

// Summarize returns a summary of at most about maxWords words as
// sentences, or an error; the answer has passed the grounding check.
func (c *Client) Summarize(ctx context.Context, title string, paragraphs []string, maxWords int) ([]string, error) {
	if maxWords <= 0 {
		maxWords = 60
	}
	body := strings.Join(paragraphs, "\n\n")
	if w := strings.Fields(body); len(w) > c.cfg.MaxInput {
		body = strings.Join(w[:c.cfg.MaxInput], " ")
	}
	req := chatRequest{Model: c.cfg.Model, Temperature: 0, Messages: []chatMessage{
		{Role: "system", Content: "You summarize news articles for a weekly newsletter. Use only facts stated in the article. " +
			"Answer with the summary only: plain sentences, no heading, no bullet points, no preamble."},
		{Role: "user", Content: fmt.Sprintf("Summarize this article in at most %d words.\n\nTitle: %s\n\n%s", maxWords, title, body)},
	}}
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	url := strings.TrimRight(c.cfg.URL, "/") + "/chat/completions"
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("llm: %s: %w", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("llm: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("llm: %s: HTTP %d: %.200s", url, resp.StatusCode, data)
	}
	var cr chatResponse
	if err := json.Unmarshal(data, &cr); err != nil || len(cr.Choices) == 0 {
		return nil, fmt.Errorf("llm: malformed answer: %.200s", data)
	}
	answer := strings.Join(strings.Fields(cr.Choices[0].Message.Content), " ")
	if answer == "" {
		return nil, errors.New("llm: empty answer")
	}
	if n := len(strings.Fields(answer)); n > maxWords*3/2+10 {
		return nil, fmt.Errorf("llm: answer of %d words exceeds the %d-word budget", n, maxWords)
	}
	if g := Grounding(answer, title+"\n"+strings.Join(paragraphs, "\n")); g < c.cfg.MinGrounding {
		return nil, fmt.Errorf("%w: %.0f%% of its content words appear in the article, need %.0f%%", ErrUngrounded, g*100, c.cfg.MinGrounding*100)
	}
	return splitSentences(answer), nil
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// Grounding is the share of the summary's content words (not stop words,
// longer than two letters) that occur in the source. Paraphrase keeps most
// words; an invented claim brings new ones.
func Grounding(summary, source string) float64 {
	src := map[string]bool{}
	for _, w := range words(source) {
		src[w] = true
		src[stem(w)] = true
	}
	total, found := 0, 0
	for _, w := range words(summary) {
		if len(w) <= 2 || stopwords.IsGroundingStop(w) {
			continue
		}
		total++
		if src[w] || src[stem(w)] {
			found++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(found) / float64(total)
}

// stem strips common English endings so "agreed" matches "agree".
func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && i+2 < len(s) && s[i+1] == ' ' && unicode.IsUpper(rune(s[i+2])) {
			out = append(out, strings.TrimSpace(s[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
