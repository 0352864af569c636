package diff

import (
	"encoding/json"
	"testing"
)

func TestNumbersEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"1", "1", true},
		{"1", "1.0", true},
		{"1.50", "1.5", true},
		{"10e-1", "1", true},
		{"100", "1E2", true},
		{"1e+2", "100.000", true},
		{"0", "-0.0", true},
		{"0.001", "1e-3", true},
		{"1", "2", false},
		{"1", "-1", false},
		{"1e999999999", "1e999999998", false},
		{"1e99999999999999999999", "1e99999999999999999999", true}, // identical spelling
		{"1e99999999999999999999", "1e99999999999999999998", false},
		{"12", "1.2e1", true},
		{"0.1", "0.01", false},
	}
	for _, tt := range tests {
		if got := numbersEqual(json.Number(tt.a), json.Number(tt.b)); got != tt.want {
			t.Errorf("numbersEqual(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := numbersEqual(json.Number(tt.b), json.Number(tt.a)); got != tt.want {
			t.Errorf("numbersEqual(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}
