package jsonfile

import "testing"

func TestPosition(t *testing.T) {
	t.Parallel()
	raw := []byte("ab\n\"é€x\"\r\nz")
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 2, 3}, {9, 2, 4}, {13, 3, 1}, {99, 3, 2}, {-1, 1, 1},
	}
	for _, tt := range tests {
		pos := PositionOf(raw, tt.off)
		if pos.Line != tt.line || pos.Column != tt.col {
			t.Errorf("PositionOf(%d) = %d:%d, want %d:%d", tt.off, pos.Line, pos.Column, tt.line, tt.col)
		}
	}
}

func TestPositionBOM(t *testing.T) {
	t.Parallel()
	raw := []byte("\xEF\xBB\xBF{}\n{")
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {3, 1, 1}, {4, 1, 2}, {6, 2, 1},
	}
	for _, tt := range tests {
		pos := PositionOf(raw, tt.off)
		if pos.Line != tt.line || pos.Column != tt.col {
			t.Errorf("PositionOf(%d) = %d:%d, want %d:%d", tt.off, pos.Line, pos.Column, tt.line, tt.col)
		}
	}
}
