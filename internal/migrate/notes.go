package migrate

import "fmt"

// The differences between a v0 skill.json and a v1 one, from the SMAPI
// "Migration of SMAPI from v0 to v1" page and the v0 manifest schema page:
//
//   - "skillManifest" is renamed "manifest": the one rewrite Migrate makes.
//   - apis.health: a v0 API that SMAPI v1 no longer has.
//   - endpoint "sourceDir": the ask-cli v1 way of naming the code folder,
//     kept inside the manifest; ask-cli v2 and SMAPI v1 do not take it (the
//     folder moved to ask-resources.json).
//   - manifestVersion: both versions carry "1.0"; a v0 file without it, or
//     with another value, is reported.
//   - Top-level keys beside the manifest: the v1 envelope holds only
//     "manifest" (and "vendorId" when creating a skill).
//   - A repeated key (found in real v0 files): a JSON reader keeps only the
//     last one, so the first would be dropped without anyone noticing.
//
// The rest of that page is about the API, not the file: URL paths, the stage
// parameter, status fields (lastModified → lastUpdateRequest, error →
// errors[], SUCCESS → SUCCEEDED), HEAD answering 204, account linking's
// redirectUrls. None of it appears in skill.json, so there is nothing to
// rewrite for it here; the client and simulator speak v1 only.
// Everything else v1 checks (enums, limits, cross-field rules) is the
// validator's job: the command runs it on the output.

type finding struct {
	off     int
	pointer string
	message string
}

// check returns what the user must look at; pos gives the position in the
// output of an input offset, for messages that cite a second place.
func check(raw []byte, root *value, pos func(off int) (line, col int)) []finding {
	var out []finding
	add := func(off int, ptr, format string, args ...any) {
		out = append(out, finding{off: off, pointer: ptr, message: fmt.Sprintf(format, args...)})
	}

	for _, m := range root.members {
		switch m.key {
		case KeyV0, "vendorId":
		default:
			add(m.keyStart, m.val.pointer, "top-level key %q is not part of a v1 skill.json, which holds only \"manifest\" (and \"vendorId\" when creating a skill): move it into the manifest or delete it", m.key)
		}
	}

	man := root.get(KeyV0)
	if man.kind != '{' {
		add(man.start, man.pointer, "\"skillManifest\" must be an object, not %s: the manifest was renamed but holds nothing to deploy", kindName(man.kind))
	} else {
		switch mv, ok := man.member("manifestVersion"); {
		case !ok:
			add(man.start, man.pointer, `no "manifestVersion": v1 manifests carry "manifestVersion": "1.0"; add it`)
		case mv.val.kind != '"':
			add(mv.val.start, mv.val.pointer, `manifestVersion must be the string "1.0", not %s (%s)`, kindName(mv.val.kind), string(raw[mv.val.start:mv.val.end]))
		case mv.val.str != "1.0":
			add(mv.val.start, mv.val.pointer, `manifestVersion is %q: SMAPI v1 accepts only "1.0"`, mv.val.str)
		}
		if apis := man.get("apis"); apis != nil {
			if h, ok := apis.member("health"); ok {
				add(h.keyStart, h.val.pointer, "apis.health is a v0 API that the SMAPI v1 manifest does not have: delete it")
			}
		}
		walk(man, func(m member) {
			if m.key == "sourceDir" {
				add(m.keyStart, m.val.pointer, "sourceDir is an ask-cli v1 key, not part of the SMAPI v1 manifest: ask-cli v2 reads the code folder from ask-resources.json (profiles.<profile>.code.<region>.src = %s); move it there and delete this key", string(raw[m.val.start:m.val.end]))
			}
		})
	}

	// Repeated keys anywhere in the file, reported at the later one.
	walkObjects(root, func(obj *value) {
		first := map[string]int{}
		for _, m := range obj.members {
			if prev, ok := first[m.key]; ok {
				line, col := pos(prev)
				add(m.keyStart, m.val.pointer, "duplicate key %q (first at %d:%d): a JSON reader keeps only this one and silently drops the other; delete one of them", m.key, line, col)
				continue
			}
			first[m.key] = m.keyStart
		}
	})
	return out
}

// walk calls fn for every object member under v, depth first.
func walk(v *value, fn func(m member)) {
	for _, m := range v.members {
		fn(m)
		walk(m.val, fn)
	}
	for _, e := range v.elems {
		walk(e, fn)
	}
}

func walkObjects(v *value, fn func(*value)) {
	if v.kind == '{' {
		fn(v)
	}
	for _, m := range v.members {
		walkObjects(m.val, fn)
	}
	for _, e := range v.elems {
		walkObjects(e, fn)
	}
}

func kindName(k byte) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a value"
}
