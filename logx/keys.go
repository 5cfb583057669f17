package logx

import (
	"strings"
	gosync "sync"
	"unicode"
	"unicode/utf8"
)

// Treatment is what the masking handler does to a value, chosen by its key.
type Treatment uint8

// Treatments, from least to most severe. A value nested under several keys
// gets the most severe treatment of them all.
const (
	// Plain values are only pattern-masked (MaskString).
	Plain Treatment = iota
	// Masked values keep the first character of each word and the domain
	// of an email address: contact data a person may need to recognise.
	Masked
	// Redacted values are replaced whole by the Redacted marker: secrets,
	// national ids and dates of birth.
	Redacted
)

// String names the treatment.
func (t Treatment) String() string {
	switch t {
	case Masked:
		return "masked"
	case Redacted:
		return "redacted"
	}
	return "plain"
}

// redactWords are key words whose values are replaced whole. A key word
// matches when it equals one of the key's words, or the concatenation of
// two or three adjacent words ("tax"+"id", "api"+"key").
var redactWords = map[string]bool{
	"secret": true, "secrets": true, "token": true, "tokens": true, "authorization": true, "auth": true,
	"password": true, "passwd": true, "pwd": true, "passphrase": true, "apikey": true, "cookie": true,
	"cookies": true, "credential": true, "credentials": true, "bearer": true, "privatekey": true,
	"taxid": true, "ssn": true, "ein": true, "itin": true, "nationalid": true, "taxpayerid": true,
	"dob": true, "dateofbirth": true, "birthdate": true, "birthday": true, "birth": true,
}

// maskWords are key words whose values keep their first characters.
var maskWords = map[string]bool{
	"email": true, "emails": true, "phone": true, "phones": true, "phonenumber": true, "phonenumbers": true,
	"mobile": true, "mobilephone": true, "cell": true, "fax": true, "telephone": true,
	"address": true, "addresses": true, "addressline": true, "street": true, "zip": true, "zipcode": true,
	"postalcode": true, "postcode": true,
}

// prefixWords match a single key word that starts or ends with them, for
// keys written without separators ("phonenumber", "accesstoken",
// "clientsecret", "addressline1", "emailaddress").
var prefixWords = []struct {
	w string
	t Treatment
}{
	{"secret", Redacted}, {"token", Redacted}, {"password", Redacted}, {"authorization", Redacted},
	{"credential", Redacted}, {"cookie", Redacted}, {"birth", Redacted},
	{"email", Masked}, {"phone", Masked}, {"address", Masked}, {"street", Masked},
}

// keyCache remembers the treatment of the keys seen so far: log keys come
// from code, so they are few. The cache stops growing at keyCacheMax.
var (
	keyCache    gosync.Map // string → Treatment
	keyCacheLen int64
	keyCacheMu  gosync.Mutex
)

const keyCacheMax = 4096

// ClassifyKey returns the treatment the masking handler gives a value
// logged under key.
func ClassifyKey(key string) Treatment {
	if key == "" {
		return Plain
	}
	if t, ok := keyCache.Load(key); ok {
		return t.(Treatment)
	}
	t := classify(key)
	keyCacheMu.Lock()
	if keyCacheLen < keyCacheMax {
		keyCacheLen++
		keyCache.Store(key, t)
	}
	keyCacheMu.Unlock()
	return t
}

func classify(key string) Treatment {
	words := keyWords(key)
	best := Plain
	note := func(w string) {
		switch {
		case redactWords[w]:
			best = Redacted
		case maskWords[w] && best < Masked:
			best = Masked
		}
	}
	for i, w := range words {
		note(w)
		if i+1 < len(words) {
			note(w + words[i+1])
			if i+2 < len(words) {
				note(w + words[i+1] + words[i+2])
			}
		}
		for _, p := range prefixWords {
			if len(w) > len(p.w) && (strings.HasPrefix(w, p.w) || strings.HasSuffix(w, p.w)) && p.t > best {
				best = p.t
			}
		}
	}
	return best
}

// keyWords splits a key into lower-case words at every non-alphanumeric
// character, at lower→upper case changes ("DateOfBirth") and before the
// last upper-case letter of a run followed by lower case ("SSNNumber" →
// ssn, number). Digits stay with the word before them ("addressline1").
func keyWords(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(key)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// maskWordsOf applies the Masked treatment to s: each whitespace-separated
// word keeps its first character; an email address keeps the first
// character of its local part and its domain. At most maxMaskedWords words
// are kept, so a huge value does not become a huge log line.
func maskWordsOf(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	n := 0
	for w := range strings.FieldsSeq(s) {
		if n == maxMaskedWords {
			b.WriteString(" …")
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		n++
		if at := strings.LastIndexByte(w, '@'); at > 0 && at < len(w)-1 {
			writeInitial(&b, w[:at])
			b.WriteString("@")
			b.WriteString(MaskString(w[at+1:]))
			continue
		}
		writeInitial(&b, w)
	}
	if n == 0 {
		return "***"
	}
	return b.String()
}

// maxMaskedWords bounds how many words a Masked value keeps.
const maxMaskedWords = 16

// writeInitial writes the first rune of w (U+FFFD for a bad byte) and
// "***". A first rune that is a digit is hidden too: it would leak part of
// a phone number or house number for no benefit.
func writeInitial(b *strings.Builder, w string) {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.IsDigit(r):
		b.WriteString("#")
	case !unicode.IsPrint(r):
		b.WriteRune(utf8.RuneError)
	default:
		b.WriteRune(r)
	}
	b.WriteString("***")
}
