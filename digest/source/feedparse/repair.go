package feedparse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// repairTruncated closes the elements left open by an XML document that
// ends early (a cut download, a hand-edited file), so that the items before
// the cut can still be read. It cuts data after the last complete token and
// appends the missing end tags; an item cut in the middle is left out, as
// its text and even its title may be incomplete. ok is false when the document is not
// truncated XML or is broken before its end.
func repairTruncated(data []byte) (fixed []byte, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	type elem struct {
		name  string
		start int64 // offset of its start tag
	}
	var open []elem
	good := int64(0)
	for {
		before := d.InputOffset()
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			if len(open) == 0 {
				return nil, false // complete: nothing to repair
			}
			break
		}
		if err != nil {
			if !strings.Contains(err.Error(), "unexpected EOF") {
				return nil, false
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, elem{qname(t.Name), before})
		case xml.EndElement:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
		good = d.InputOffset()
	}
	for i, e := range open {
		if local := e.name[strings.LastIndexByte(e.name, ':')+1:]; local == "item" || local == "entry" {
			good, open = e.start, open[:i]
			break
		}
	}
	if len(open) == 0 || good == 0 {
		return nil, false
	}
	var b bytes.Buffer
	b.Grow(int(good) + 16*len(open))
	b.Write(data[:good])
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString("</" + open[i].name + ">")
	}
	return b.Bytes(), true
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
