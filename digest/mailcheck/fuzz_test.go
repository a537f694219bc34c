package mailcheck

import "testing"

// FuzzCheck: no message, however malformed its HTML, CSS or MIME, makes
// the checks panic.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("Content-Type: text/html\r\n\r\n" + page(darkRules, `<div class="bg tx"><p style="color:#eee;font-size:2em">x</p></div>`)))
	f.Add([]byte("Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n--b--\r\n"))
	f.Add([]byte("Content-Type: text/html\r\n\r\n<style>@media screen{section > div ~ p + span{color:rgb(1,2,3,0%) !important}}</style><section><div></div><p></p><span>x</span></section>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		Check(raw)
	})
}
