// Package validate loads an Alexa skill package (skill.json and the custom
// interaction models) and reports what is wrong with it as Findings, each
// with a stable rule id, a severity and the exact file, line and column.
//
// Reading is strict (duplicate keys, invalid UTF-8, depth, size), every value
// gets a position through an RFC 6901 pointer map, the manifest is checked
// against the embedded JSON Schemas of package schemas, and the cross-field
// rules that schemas cannot express run on top. Rules() lists every rule id.
package validate
