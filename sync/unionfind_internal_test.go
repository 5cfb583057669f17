package sync

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUnionFindJoinsChains: every order of joining a chain and a star
// leaves one component, whatever the map's iteration order did to the
// paths (a root's absent parent once sent a halved path to a phantom
// root 0, splitting groups of duplicates at random).
func TestUnionFindJoinsChains(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pairs [][2]int32
		want  [][]int32
	}{
		{"chain", [][2]int32{{19, 43}, {43, 78}}, [][]int32{{19, 43, 78}}},
		{"chain joined from the far end", [][2]int32{{43, 78}, {19, 43}}, [][]int32{{19, 43, 78}}},
		{"long chain", [][2]int32{{5, 4}, {4, 3}, {3, 2}, {2, 1}}, [][]int32{{1, 2, 3, 4, 5}}},
		{"two components", [][2]int32{{1, 2}, {3, 4}, {2, 5}}, [][]int32{{1, 2, 5}, {3, 4}}},
		{"star", [][2]int32{{9, 1}, {9, 2}, {9, 3}, {3, 7}}, [][]int32{{1, 2, 3, 7, 9}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(50) {
				pairs := slices.Clone(tc.pairs)
				r := rand.New(rand.NewPCG(seed, 1))
				r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
				u := unionFind{}
				ids := map[int32]bool{}
				for _, p := range pairs {
					u.join(p[0], p[1])
					ids[p[0]], ids[p[1]] = true, true
				}
				// Finds in a random order halve paths at random.
				order := make([]int32, 0, len(ids))
				for id := range ids {
					order = append(order, id)
				}
				r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
				comp := map[int32][]int32{}
				for _, id := range order {
					comp[u.find(id)] = append(comp[u.find(id)], id)
				}
				var got [][]int32
				for _, c := range comp {
					slices.Sort(c)
					got = append(got, c)
				}
				slices.SortFunc(got, func(a, b []int32) int { return int(a[0] - b[0]) })
				if !slices.EqualFunc(got, tc.want, slices.Equal) {
					t.Fatalf("seed %d, pairs %v: components %v, want %v", seed, pairs, got, tc.want)
				}
			}
		})
	}
}
