package pii

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func benchKey(b *testing.B) []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		b.Fatal(err)
	}
	return k
}

func BenchmarkSeal(b *testing.B) {
	k, err := NewKeyring(benchKey(b))
	if err != nil {
		b.Fatal(err)
	}
	pt, aad := []byte("11010519491231002X"), []byte("workers.ssn")
	b.ReportAllocs()
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		if _, err := k.Seal(pt, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	k, err := NewKeyring(benchKey(b))
	if err != nil {
		b.Fatal(err)
	}
	pt, aad := []byte("11010519491231002X"), []byte("workers.ssn")
	blob, err := k.Seal(pt, aad)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		got, err := k.Open(blob, aad)
		if err != nil || !bytes.Equal(got, pt) {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenParallel(b *testing.B) {
	k, err := NewKeyring(benchKey(b), benchKey(b), benchKey(b))
	if err != nil {
		b.Fatal(err)
	}
	aad := []byte("workers.name")
	blob, err := k.Seal([]byte("欧阳娜娜"), aad)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := k.Open(blob, aad); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkIndex(b *testing.B) {
	ix, err := NewIndexer(benchKey(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = ix.Index("ssn", "11010519491231002X")
	}
}

func BenchmarkIndexParallel(b *testing.B) {
	ix, err := NewIndexer(benchKey(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = ix.Index("ssn", "11010519491231002X")
		}
	})
}
