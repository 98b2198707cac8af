package cache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"time"
)

// Entries outside the process (disk, Redis) are framed so that a damaged or foreign value is
// recognised instead of handed back: magic, envelope version, write time, CRC-32 of the value.
//
//	0..1  'd' 'l'
//	2     envelopeVersion
//	3..10 write time, Unix nanoseconds, big endian
//	11..14 CRC-32 (Castagnoli) of the value
//	15..  value
const (
	envelopeVersion = 1
	headerLen       = 15
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt marks an entry that fails its frame checks.
var errCorrupt = errors.New("cache: corrupt entry")

func seal(val []byte, written time.Time) []byte {
	b := make([]byte, headerLen+len(val))
	b[0], b[1], b[2] = 'd', 'l', envelopeVersion
	binary.BigEndian.PutUint64(b[3:], uint64(written.UnixNano()))
	binary.BigEndian.PutUint32(b[11:], crc32.Checksum(val, castagnoli))
	copy(b[headerLen:], val)
	return b
}

// open checks a framed entry and returns its value (aliasing b) and write time.
func open(b []byte) ([]byte, time.Time, error) {
	if len(b) < headerLen || b[0] != 'd' || b[1] != 'l' || b[2] != envelopeVersion {
		return nil, time.Time{}, errCorrupt
	}
	val := b[headerLen:]
	if crc32.Checksum(val, castagnoli) != binary.BigEndian.Uint32(b[11:]) {
		return nil, time.Time{}, errCorrupt
	}
	return val, time.Unix(0, int64(binary.BigEndian.Uint64(b[3:]))), nil
}
