package skillpkg

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// JSONPointers lists the JSON Pointers (RFC 6901) at which two JSON
// documents differ, in document order, at most limit of them; ok is false
// when either is not JSON. A value added, removed or changed is reported
// at its own pointer; arrays of different lengths at the array.
func JSONPointers(a, b []byte, limit int) (ptrs []string, more int, ok bool) {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return nil, 0, false
	}
	var all []string
	walkDiff(va, vb, "", &all)
	if len(all) > limit {
		return all[:limit], len(all) - limit, true
	}
	return all, 0, true
}

func walkDiff(a, b any, ptr string, out *[]string) {
	ma, aObj := a.(map[string]any)
	mb, bObj := b.(map[string]any)
	if aObj && bObj {
		for _, k := range unionKeys(ma, mb) {
			walkDiff(ma[k], mb[k], ptr+"/"+jsonfile.EscapePointer(k), out)
		}
		return
	}
	la, aArr := a.([]any)
	lb, bArr := b.([]any)
	if aArr && bArr && len(la) == len(lb) {
		for i := range la {
			walkDiff(la[i], lb[i], fmt.Sprintf("%s/%d", ptr, i), out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		if ptr == "" {
			ptr = "/"
		}
		*out = append(*out, ptr)
	}
}
