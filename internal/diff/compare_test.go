package diff

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// ch builds an expected Change; before and after are JSON text, "" for
// absent.
func ch(kind Kind, section, ptr, before, after string) Change {
	c := Change{Pointer: ptr, Section: section, Kind: kind}
	if before != "" {
		c.Before = json.RawMessage(before)
	}
	if after != "" {
		c.After = json.RawMessage(after)
	}
	return c
}

func TestCompareChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		local, live string
		want        []Change
		changed     bool
		sections    []string
	}{
		{
			name:  "identical",
			local: `{"manifest":{"manifestVersion":"1.0"}}`,
			live:  `{"manifest":{"manifestVersion":"1.0"}}`,
		},
		{
			name:  "key order and whitespace",
			local: `{"manifest":{"b":1,"a":{"y":true,"x":null}}}`,
			live:  "{\"manifest\": {\"a\": {\"x\": null, \"y\": true},\n \"b\": 1}}",
		},
		{
			name:  "number spelling",
			local: `{"manifest":{"publishingInformation":{"gadgetSupport":{"maxGadgetButtons":4.0,"ratio":1e1}}}}`,
			live:  `{"manifest":{"publishingInformation":{"gadgetSupport":{"maxGadgetButtons":4,"ratio":10}}}}`,
		},
		{
			name:  "number changed",
			local: `{"manifest":{"publishingInformation":{"gadgetSupport":{"maxGadgetButtons":4.5}}}}`,
			live:  `{"manifest":{"publishingInformation":{"gadgetSupport":{"maxGadgetButtons":4}}}}`,
			want: []Change{
				ch(KindChanged, "publishing", "/manifest/publishingInformation/gadgetSupport/maxGadgetButtons", "4", "4.5"),
			},
			changed: true, sections: []string{"publishing"},
		},
		{
			name:  "changes in two locales",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Quiz Master","summary":"New"},"de-DE":{"name":"Quiz-Meister"}}}}}`,
			live:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Quiz Master","summary":"Old"},"de-DE":{"name":"Quiz Meister"}}}}}`,
			want: []Change{
				ch(KindChanged, "publishing.de-DE", "/manifest/publishingInformation/locales/de-DE/name", `"Quiz Meister"`, `"Quiz-Meister"`),
				ch(KindChanged, "publishing.en-US", "/manifest/publishingInformation/locales/en-US/summary", `"Old"`, `"New"`),
			},
			changed: true, sections: []string{"publishing.de-DE", "publishing.en-US"},
		},
		{
			name:  "added and removed keys",
			local: `{"manifest":{"privacyAndCompliance":{"containsAds":false},"events":{"subscriptions":[]}}}`,
			live:  `{"manifest":{"privacyAndCompliance":{"containsAds":false,"allowsPurchases":true}}}`,
			want: []Change{
				ch(KindRemoved, "privacy", "/manifest/privacyAndCompliance/allowsPurchases", "true", ""),
				ch(KindAdded, "events", "/manifest/events", "", `{"subscriptions":[]}`),
			},
			changed: true, sections: []string{"privacy", "events"},
		},
		{
			name:  "array element added and removed",
			local: `{"manifest":{"permissions":[{"name":"a"},{"name":"c"}],"publishingInformation":{"distributionCountries":["US","GB","DE"]}}}`,
			live:  `{"manifest":{"permissions":[{"name":"a"},{"name":"b"},{"name":"c"}],"publishingInformation":{"distributionCountries":["US","DE"]}}}`,
			want: []Change{
				ch(KindAdded, "publishing", "/manifest/publishingInformation/distributionCountries/1", "", `"GB"`),
				ch(KindRemoved, "permissions", "/manifest/permissions/1", `{"name":"b"}`, ""),
			},
			changed: true, sections: []string{"publishing", "permissions"},
		},
		{
			name:  "type change and null",
			local: `{"manifest":{"apis":{"custom":{"interfaces":null}},"x":{"y":1}}}`,
			live:  `{"manifest":{"apis":{"custom":{"interfaces":[]}},"x":"y"}}`,
			want: []Change{
				ch(KindChanged, "apis", "/manifest/apis/custom/interfaces", `[]`, `null`),
				ch(KindChanged, "other", "/manifest/x", `"y"`, `{"y":1}`),
			},
			changed: true, sections: []string{"apis", "other"},
		},
		{
			name:  "pointer escaping and html",
			local: `{"manifest":{"a/b":{"c~d":"<b>"}}}`,
			live:  `{"manifest":{"a/b":{"c~d":"&"}}}`,
			want: []Change{
				ch(KindChanged, "other", "/manifest/a~1b/c~0d", `"&"`, `"<b>"`),
			},
			changed: true, sections: []string{"other"},
		},
		{
			name:  "file icon against hosted URL is an asset",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"file://assets/images/small.png"}}}}}`,
			live:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"https://s3.amazonaws.com/small.png"}}}}}`,
			want: []Change{
				ch(KindAsset, "publishing.en-US", "/manifest/publishingInformation/locales/en-US/smallIconUri", `"https://s3.amazonaws.com/small.png"`, `"file://assets/images/small.png"`),
			},
		},
		{
			name:  "file icon with nothing live is an asset, not an addition",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Q","largeIconUri":"file://assets/large.png"}}}}}`,
			live:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Q"}}}}}`,
			want: []Change{
				ch(KindAsset, "publishing.en-US", "/manifest/publishingInformation/locales/en-US/largeIconUri", "", `"file://assets/large.png"`),
			},
		},
		{
			name:  "https icon change is a change",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"https://cdn.example.com/new.png"}}}}}`,
			live:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"https://s3.amazonaws.com/small.png"}}}}}`,
			want: []Change{
				ch(KindChanged, "publishing.en-US", "/manifest/publishingInformation/locales/en-US/smallIconUri", `"https://s3.amazonaws.com/small.png"`, `"https://cdn.example.com/new.png"`),
			},
			changed: true, sections: []string{"publishing.en-US"},
		},
		{
			name:  "endpoint absent in the repository is kept from live",
			local: `{"manifest":{"apis":{"custom":{"interfaces":[]}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:aws:lambda:us-east-1:1:function:f"},"interfaces":[]}}}}`,
			want: []Change{
				ch(KindKept, "apis", "/manifest/apis/custom/endpoint", `{"uri":"arn:aws:lambda:us-east-1:1:function:f"}`, ""),
			},
		},
		{
			name:  "endpoint without uri is kept from live",
			local: `{"manifest":{"apis":{"smartHome":{"endpoint":{"sslCertificateType":"Trusted"}}}}}`,
			live:  `{"manifest":{"apis":{"smartHome":{"endpoint":{"uri":"https://x.example.com","sslCertificateType":"Trusted"}}}}}`,
			want: []Change{
				ch(KindKept, "apis", "/manifest/apis/smartHome/endpoint", `{"sslCertificateType":"Trusted","uri":"https://x.example.com"}`, `{"sslCertificateType":"Trusted"}`),
			},
		},
		{
			name:  "region endpoint without uri is kept from live",
			local: `{"manifest":{"apis":{"custom":{"regions":{"EU":{},"FE":{"endpoint":{}}}}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"regions":{"EU":{"endpoint":{"uri":"arn:eu"}},"FE":{"endpoint":{"uri":"arn:fe"}}}}}}}`,
			want: []Change{
				ch(KindKept, "apis", "/manifest/apis/custom/regions/EU/endpoint", `{"uri":"arn:eu"}`, ""),
				ch(KindKept, "apis", "/manifest/apis/custom/regions/FE/endpoint", `{"uri":"arn:fe"}`, `{}`),
			},
		},
		{
			name:  "region missing from the repository is a removal",
			local: `{"manifest":{"apis":{"custom":{"regions":{}}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"regions":{"EU":{"endpoint":{"uri":"arn:eu"}}}}}}}`,
			want: []Change{
				ch(KindRemoved, "apis", "/manifest/apis/custom/regions/EU", `{"endpoint":{"uri":"arn:eu"}}`, ""),
			},
			changed: true, sections: []string{"apis"},
		},
		{
			name:  "endpoint with a uri is the repository's",
			local: `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:new"}}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:old"}}}}}`,
			want: []Change{
				ch(KindChanged, "apis", "/manifest/apis/custom/endpoint/uri", `"arn:old"`, `"arn:new"`),
			},
			changed: true, sections: []string{"apis"},
		},
		{
			name:  "events endpoint is not owned by the infrastructure",
			local: `{"manifest":{"events":{"subscriptions":[]}}}`,
			live:  `{"manifest":{"events":{"endpoint":{"uri":"arn:ev"},"subscriptions":[]}}}`,
			want: []Change{
				ch(KindRemoved, "events", "/manifest/events/endpoint", `{"uri":"arn:ev"}`, ""),
			},
			changed: true, sections: []string{"events"},
		},
		{
			name:  "v0 skillManifest sections",
			local: `{"skillManifest":{"publishingInformation":{"locales":{"en-US":{"name":"B"}}}}}`,
			live:  `{"skillManifest":{"publishingInformation":{"locales":{"en-US":{"name":"A"}}}}}`,
			want: []Change{
				ch(KindChanged, "publishing.en-US", "/skillManifest/publishingInformation/locales/en-US/name", `"A"`, `"B"`),
			},
			changed: true, sections: []string{"publishing.en-US"},
		},
		{
			name:  "sections in display order, indexes numerically",
			local: `{"manifest":{"permissions":[0,1,2,3,4,5,6,7,8,9,10,11],"publishingInformation":{"category":"GAMES","locales":{"fr-FR":{"name":"b"},"de-DE":{"name":"b"}}},"privacyAndCompliance":{"containsAds":true},"manifestVersion":"1.0"}}`,
			live:  `{"manifest":{"permissions":[0,1,2,3,4,5,6,7,8,9],"publishingInformation":{"category":"TRIVIA","locales":{"fr-FR":{"name":"a"},"de-DE":{"name":"a"}}},"privacyAndCompliance":{"containsAds":false},"manifestVersion":"2.0"}}`,
			want: []Change{
				ch(KindChanged, "publishing", "/manifest/publishingInformation/category", `"TRIVIA"`, `"GAMES"`),
				ch(KindChanged, "publishing.de-DE", "/manifest/publishingInformation/locales/de-DE/name", `"a"`, `"b"`),
				ch(KindChanged, "publishing.fr-FR", "/manifest/publishingInformation/locales/fr-FR/name", `"a"`, `"b"`),
				ch(KindChanged, "privacy", "/manifest/privacyAndCompliance/containsAds", `false`, `true`),
				ch(KindAdded, "permissions", "/manifest/permissions/10", "", `10`),
				ch(KindAdded, "permissions", "/manifest/permissions/11", "", `11`),
				ch(KindChanged, "other", "/manifest/manifestVersion", `"2.0"`, `"1.0"`),
			},
			changed:  true,
			sections: []string{"publishing", "publishing.de-DE", "publishing.fr-FR", "privacy", "permissions", "other"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Compare([]byte(tt.local), []byte(tt.live), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Changes); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
			if got := r.Changed(); got != tt.changed {
				t.Errorf("Changed() = %v, want %v", got, tt.changed)
			}
			if diff := cmp.Diff(tt.sections, r.Sections()); diff != "" {
				t.Errorf("Sections() (-want +got):\n%s", diff)
			}
			// The plan and the unified diff agree: no counted change, no diff.
			if (r.Unified == "") == tt.changed {
				t.Errorf("Unified = %q with Changed() = %v", r.Unified, tt.changed)
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	t.Parallel()
	good := []byte(`{"manifest":{}}`)
	if _, err := Compare([]byte(`{"manifest":`), good, Options{}); err == nil || !strings.HasPrefix(err.Error(), "repository manifest: ") {
		t.Errorf("bad local: error = %v, want one naming the repository manifest", err)
	}
	if _, err := Compare(good, []byte(`[1,]`), Options{}); err == nil || !strings.HasPrefix(err.Error(), "live manifest: ") {
		t.Errorf("bad live: error = %v, want one naming the live manifest", err)
	}
	if _, err := ForDeploy(good, nil); err == nil {
		t.Errorf("ForDeploy with an empty live manifest succeeded")
	}
}

func TestForDeploy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, local, live, want string
	}{
		{
			name:  "repository values win",
			local: `{"manifest":{"publishingInformation":{"category":"GAMES"}}}`,
			live:  `{"manifest":{"publishingInformation":{"category":"TRIVIA","testingInstructions":"x"}}}`,
			want:  `{"manifest":{"publishingInformation":{"category":"GAMES"}}}`,
		},
		{
			name:  "file icons take the hosted URL",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"file://a/s.png","largeIconUri":"file://a/l.png","name":"Q"}}}}}`,
			live:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"https://h/s.png","largeIconUri":"https://h/l.png","name":"P"}}}}}`,
			want:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"https://h/s.png","largeIconUri":"https://h/l.png","name":"Q"}}}}}`,
		},
		{
			name:  "file icon with nothing live is left out",
			local: `{"manifest":{"publishingInformation":{"locales":{"en-US":{"smallIconUri":"file://a/s.png","name":"Q"}}}}}`,
			live:  `{"manifest":{}}`,
			want:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Q"}}}}}`,
		},
		{
			name:  "endpoints without uri keep the live endpoint",
			local: `{"manifest":{"apis":{"custom":{"endpoint":{"sslCertificateType":"Wildcard"},"regions":{"EU":{}},"interfaces":[]}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:na"},"regions":{"EU":{"endpoint":{"uri":"arn:eu"}}}}}}}`,
			want:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:na"},"regions":{"EU":{"endpoint":{"uri":"arn:eu"}}},"interfaces":[]}}}}`,
		},
		{
			name:  "endpoint without uri and nothing live is sent as written",
			local: `{"manifest":{"apis":{"custom":{"endpoint":{"sslCertificateType":"Wildcard"}}}}}`,
			live:  `{"manifest":{"apis":{"custom":{}}}}`,
			want:  `{"manifest":{"apis":{"custom":{"endpoint":{"sslCertificateType":"Wildcard"}}}}}`,
		},
		{
			name:  "endpoint with uri is sent as written",
			local: `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:new"}}}}}`,
			live:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:old"}}}}}`,
			want:  `{"manifest":{"apis":{"custom":{"endpoint":{"uri":"arn:new"}}}}}`,
		},
		{
			name:  "numbers take the live spelling only when equal",
			local: `{"manifest":{"a":4.0,"b":[1.0,2.50],"c":3.0}}`,
			live:  `{"manifest":{"a":4,"b":[1,2.5],"c":3.5}}`,
			want:  `{"manifest":{"a":4,"b":[1,2.5],"c":3.0}}`,
		},
		{
			name:  "file URI in an array",
			local: `{"manifest":{"x":["file://a.png","b"]}}`,
			live:  `{"manifest":{"x":["https://h/a.png","b"]}}`,
			want:  `{"manifest":{"x":["https://h/a.png","b"]}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ForDeploy([]byte(tt.local), []byte(tt.live))
			if err != nil {
				t.Fatal(err)
			}
			want, err := jsoncanon.Indent([]byte(tt.want))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("ForDeploy (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForDeployMatchesPlan checks the promise the deploy relies on: the
// manifest it sends is the one the plan diffed, and a package with no
// changes sends exactly the live manifest (so "no change, no PUT" holds).
func TestForDeployMatchesPlan(t *testing.T) {
	t.Parallel()
	live := readFile(t, "testdata/live.json")
	for _, name := range []string{"local_same.json", "local_changed.json"} {
		local := readFile(t, "testdata/"+name)
		r, err := Compare(local, live, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sent, err := ForDeploy(local, live)
		if err != nil {
			t.Fatal(err)
		}
		if string(sent) != string(r.PlannedCanonical) {
			t.Errorf("%s: ForDeploy differs from the planned manifest", name)
		}
		if strings.Contains(string(sent), "file://") {
			t.Errorf("%s: ForDeploy sends a file:// URI", name)
		}
		if !r.Changed() && string(sent) != string(r.LiveCanonical) {
			t.Errorf("%s: no changes, yet ForDeploy differs from live", name)
		}
		if r.Changed() == (name == "local_same.json") {
			t.Errorf("%s: Changed() = %v", name, r.Changed())
		}
	}
}

func TestUnified(t *testing.T) {
	t.Parallel()
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	b := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
	tests := []struct {
		name    string
		context int
		want    string
	}{
		{"two hunks", 3, "--- x\n+++ y\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n"},
		{"split at 2*context+1 equal lines", 5, "--- x\n+++ y\n@@ -1,7 +1,7 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n@@ -9,5 +9,6 @@\n i\n j\n k\n l\n m\n+n\n"},
		{"merged hunks", 6, "--- x\n+++ y\n@@ -1,13 +1,14 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n h\n i\n j\n k\n l\n m\n+n\n"},
		{"no context", 0, "--- x\n+++ y\n@@ -2 +2 @@\n-b\n+B\n@@ -13,0 +14 @@\n+n\n"},
	}
	for _, tt := range tests {
		got, err := unified(a, b, "x", "y", tt.context)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	if got, err := unified(a, a, "x", "y", 3); got != "" || err != nil {
		t.Errorf("equal texts: %q, %v", got, err)
	}
}

func TestCompareOptions(t *testing.T) {
	t.Parallel()
	local := []byte(`{"manifest":{"a":1,"b":2,"c":3,"d":4,"e":5}}`)
	live := []byte(`{"manifest":{"a":1,"b":2,"c":0,"d":4,"e":5}}`)
	r, err := Compare(local, live, Options{FromFile: "live/development", ToFile: "skill-package/skill.json", Context: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := "--- live/development\n+++ skill-package/skill.json\n@@ -5 +5 @@\n-    \"c\": 0,\n+    \"c\": 3,\n"
	if diff := cmp.Diff(want, r.Unified); diff != "" {
		t.Errorf("Unified (-want +got):\n%s", diff)
	}
	r, err = Compare(local, live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Unified, "--- live\n+++ local\n@@ -2,7 +2,7 @@\n") {
		t.Errorf("default headers and context: %q", r.Unified)
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
