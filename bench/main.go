// Command bench measures b2h against its rate-limit lower bound (DESIGN.md
// §9, `make bench`). It hosts both simulators in this process, runs the b2h
// binary as a child process (so its peak RSS is its own), and prints one
// JSON line per run: a full sync, a no-op incremental, and an incremental
// after a 5 % mutation.
//
// The lower bound of a run is the slower API's minimal time: HubSpot's
// minimal requests (batches of 100 records, association batches of 2,000,
// plus the fixed account-check and schema calls) at the tier's allowed rate,
// or Buildium's minimal requests (one read of each list at 1,000 per page,
// plus one amenities request per property fetched) at 10 per second.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"b2h/clients/sim"
	"b2h/state"
)

type runResult struct {
	Run             string           `json:"run"`
	Scale           int              `json:"scale"`
	Tier            string           `json:"tier"`
	Limits          string           `json:"limits"`
	Records         int              `json:"records_written"`
	RecordsRead     int              `json:"records_read"`
	HubSpotRequests int64            `json:"hubspot_requests"`
	HubSpotByKind   map[string]int64 `json:"hubspot_by_kind"`
	HubSpotWrites   int64            `json:"hubspot_writes"`
	MinimalHubSpot  int64            `json:"hubspot_minimal"`
	RequestRatio    float64          `json:"request_ratio"`
	BuildiumReqs    int64            `json:"buildium_requests"`
	BuildiumByPath  map[string]int64 `json:"buildium_by_endpoint"`
	MinimalBuildium int64            `json:"buildium_minimal"`
	BoundHubSpotS   float64          `json:"bound_hubspot_s"`
	BoundBuildiumS  float64          `json:"bound_buildium_s"`
	BoundS          float64          `json:"bound_s"`
	WallS           float64          `json:"wall_s"`
	WallOverBound   float64          `json:"wall_over_bound"`
	RateLimited     int64            `json:"hubspot_429s_received"`
	BuildiumLimited int64            `json:"buildium_429s_received"`
	PeakRSSMB       float64          `json:"peak_rss_mb"` // b2h's own VmHWM (see watchHWM)
	// MaxRSSRusageMB is the child's ru_maxrss. On Linux it is at least this
	// process's RSS when the child was started (exec records the hiwater
	// mark of the vfork-shared address space it leaves), so with the
	// simulators holding 100,000 records it measures the bench, not b2h.
	MaxRSSRusageMB float64 `json:"max_rss_rusage_mb"`
	RecordsPerS    float64 `json:"records_per_s"`
	// B2HCPUS is b2h's own CPU time (user+system, from the child's
	// rusage); SimCPUS is this process's over the same run: the two
	// simulators, which share the machine's cores with b2h. RecordsPerCPUS
	// is records read per second of b2h's CPU: what b2h itself costs,
	// whatever the simulators cost.
	B2HCPUS        float64 `json:"b2h_cpu_s"`
	SimCPUS        float64 `json:"sim_cpu_s"`
	RecordsPerCPUS float64 `json:"records_per_b2h_cpu_s"`
	Status         string  `json:"status"`
}

func main() {
	scale := flag.Int("scale", 20000, "tenants")
	tier := flag.String("tier", "professional", "HubSpot tier")
	limits := flag.String("limits", "real", "real or off")
	bin := flag.String("b2h", "bin/b2h", "the b2h binary")
	workers := flag.Int("workers", 4, "b2h --workers")
	cpuprofile := flag.String("cpuprofile", "", "write the simulators' CPU profile (this process) to this file")
	only := flag.String("runs", "full,noop_incremental,mutated_incremental", "the runs to make, in order (an incremental needs the full before it)")
	var childEnv []string
	flag.Func("env", "KEY=VALUE added to b2h's environment (repeatable), e.g. -env GOGC=200", func(v string) error {
		childEnv = append(childEnv, v)
		return nil
	})
	keep := flag.Bool("keep", false, "keep the temporary directory (state file, log, each run's JSON events) and print its path")
	flag.Parse()
	// The simulators hold the whole portfolio (and every HubSpot record
	// written) in this process's heap: with the default GOGC, marking that
	// heap again and again was half their CPU, which b2h's runs on the
	// same two cores paid for. The bench has memory to spare; b2h, the
	// child process measured, keeps its own default.
	debug.SetGCPercent(400)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*scale, *tier, *limits, *bin, *workers, *keep, strings.Split(*only, ","), childEnv); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var tierRate = map[string]float64{"free": 100, "starter": 100, "professional": 190, "enterprise": 190}

func run(scale int, tier, limits, bin string, workers int, keep bool, only, childEnv []string) error {
	env, err := sim.Start(sim.Options{Scale: scale, Seed: 1, Tier: tier, RateLimits: limits == "real"})
	if err != nil {
		return err
	}
	defer env.Close()
	dir, err := os.MkdirTemp("", "b2h-bench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "bench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	statePath := filepath.Join(dir, "state.db")
	p := env.Buildium.Snapshot()
	for _, r := range []struct{ name, mode string }{{"full", "--full"}, {"noop_incremental", "--incremental"}, {"mutated_incremental", "--incremental"}} {
		if !slices.Contains(only, r.name) {
			continue
		}
		if r.name == "mutated_incremental" {
			env.Buildium.Mutate(0.05, 5)
		}
		before, bdBefore := env.HubSpot.Stats(), env.Buildium.Stats()
		simBefore := selfCPU()
		start := time.Now()
		cmd := exec.Command(bin, "sync", r.mode, "--json", "--yes", "--workers", fmt.Sprint(workers), "--state", statePath, "--log-file", filepath.Join(dir, "b2h.log"))
		cmd.Env = append(os.Environ(), "BUILDIUM_URL="+env.BuildiumURL, "BUILDIUM_CLIENT_ID="+env.BuildiumClientID,
			"BUILDIUM_CLIENT_SECRET="+env.BuildiumClientSecret, "HUBSPOT_URL="+env.HubSpotURL, "HUBSPOT_ACCESS_TOKEN="+env.HubSpotToken,
		)
		if prof := os.Getenv("B2H_CPUPROFILE"); prof != "" {
			cmd.Env = append(cmd.Env, "B2H_CPUPROFILE="+prof+"."+r.name)
		}
		if prof := os.Getenv("B2H_MEMPROFILE"); prof != "" {
			cmd.Env = append(cmd.Env, "B2H_MEMPROFILE="+prof+"."+r.name)
		}
		if limits == "off" {
			cmd.Env = append(cmd.Env, "B2H_HUBSPOT_RATE=1000000", "B2H_BUILDIUM_RATE=1000000")
		}
		cmd.Env = append(cmd.Env, childEnv...)
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = os.Stderr
		var hwm *hwmWatch
		err := cmd.Start()
		if err == nil {
			hwm = watchHWM(cmd.Process.Pid)
			err = cmd.Wait()
		}
		wall := time.Since(start)
		simCPU := selfCPU() - simBefore
		if err != nil && cmd.ProcessState.ExitCode() != 3 {
			return fmt.Errorf("%s: %v", r.name, err)
		}
		var sum struct {
			Status   string `json:"status"`
			Entities map[string]struct {
				Read, Created, Updated int
			} `json:"entities"`
		}
		if keep { // the run's events (stage timings, issues) for a closer look
			_ = os.WriteFile(filepath.Join(dir, r.name+".jsonl"), out.Bytes(), 0o600)
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"event":"summary"`) {
				_ = json.Unmarshal(sc.Bytes(), &sum)
			}
		}
		after, bdAfter := env.HubSpot.Stats(), env.Buildium.Stats()
		res := runResult{Run: r.name, Scale: scale, Tier: tier, Limits: limits, Status: sum.Status, WallS: wall.Seconds(),
			HubSpotRequests: after.Requests - before.Requests, HubSpotWrites: after.Writes - before.Writes,
			RateLimited: after.RateLimited - before.RateLimited, BuildiumReqs: bdAfter.Requests - bdBefore.Requests,
			BuildiumLimited: bdAfter.RateLimited - bdBefore.RateLimited,
			HubSpotByKind:   map[string]int64{}}
		res.BuildiumByPath = map[string]int64{}
		for k, v := range bdAfter.ByEndpoint {
			if d := v - bdBefore.ByEndpoint[k]; d != 0 {
				res.BuildiumByPath[k] = d
			}
		}
		for k, v := range after.ByKind {
			if d := v - before.ByKind[k]; d != 0 {
				res.HubSpotByKind[k] = d
			}
		}
		batches := int64(0)
		for _, e := range []string{"properties", "units", "tenants", "emergency_contacts"} {
			c := sum.Entities[e]
			n := c.Created + c.Updated
			res.Records += n
			batches += int64((n + 99) / 100)
		}
		for _, c := range sum.Entities {
			res.RecordsRead += c.Read
		}
		assocMin, err := assocMinimal(statePath, r.name == "full")
		if err != nil {
			return err
		}
		// Fixed calls (account check, schema bootstrap, conflict reads) are
		// counted as they are: every correct run makes them.
		overhead := int64(0)
		for k, v := range res.HubSpotByKind {
			if !strings.HasPrefix(k, "objects.batch.upsert") && !strings.HasPrefix(k, "associations.batch.create") && !strings.HasPrefix(k, "associations.batch.default") {
				overhead += v
			}
		}
		if r.name != "full" {
			assocMin = res.HubSpotByKind["associations.batch.create"] + res.HubSpotByKind["associations.batch.default"]
		}
		res.MinimalHubSpot = overhead + batches + assocMin
		if res.MinimalHubSpot > 0 {
			res.RequestRatio = float64(res.HubSpotRequests) / float64(res.MinimalHubSpot)
		}
		pages := func(n int) int64 { return int64((n + 999) / 1000) }
		res.MinimalBuildium = pages(len(p.Rentals)) + pages(len(p.Units)) + pages(len(p.Tenants)) + pages(len(p.Leases))
		if r.name == "full" {
			res.MinimalBuildium += int64(len(p.Rentals)) // amenities, one request per property
		}
		rate := tierRate[tier] / 10
		res.BoundHubSpotS = float64(res.MinimalHubSpot) / rate
		res.BoundBuildiumS = float64(res.MinimalBuildium) / 10
		res.BoundS = max(res.BoundHubSpotS, res.BoundBuildiumS)
		if res.BoundS > 0 {
			res.WallOverBound = res.WallS / res.BoundS
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSSRusageMB = float64(ru.Maxrss) / 1024
		}
		res.B2HCPUS = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
		res.SimCPUS = simCPU.Seconds()
		if res.B2HCPUS > 0 {
			res.RecordsPerCPUS = float64(res.RecordsRead) / res.B2HCPUS
		}
		res.PeakRSSMB = hwm.stop()
		if wall > 0 {
			res.RecordsPerS = float64(res.RecordsRead) / wall.Seconds()
		}
		b, _ := json.Marshal(res)
		fmt.Println(string(b))
	}
	return nil
}

// selfCPU is this process's CPU time so far (user + system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// assocMinimal is the fewest association batch calls that could have
// created the associations state holds: per object-type pair, 2,000 a call.
func assocMinimal(path string, full bool) (int64, error) {
	if !full {
		return 0, nil
	}
	st, err := state.Open(state.Options{Path: path, ReadOnly: true, Keys: state.DefaultKeyStore(path)})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	// Labelled associations of one object-type pair share a call whatever
	// their labels; default (unlabelled) ones use another endpoint.
	byPair := map[string]int{}
	err = st.ForEachMapping("associations", func(m state.Mapping) error {
		k := m.HubSpotType + "|labelled"
		if m.Extra["label"] == "" {
			k = m.HubSpotType + "|default"
		}
		byPair[k]++
		return nil
	})
	if err != nil {
		return 0, err
	}
	var total int64
	for _, n := range byPair {
		total += int64((n + 1999) / 2000)
	}
	return total, nil
}

// hwmWatch samples a child's peak resident set (VmHWM in
// /proc/PID/status: the high-water mark of its own address space since
// exec) while it runs. The last sample before exit is the figure; growth
// in the final interval is missed, and where /proc is unavailable it is 0.
type hwmWatch struct {
	done chan struct{}
	peak chan float64
}

func watchHWM(pid int) *hwmWatch {
	w := &hwmWatch{done: make(chan struct{}), peak: make(chan float64, 1)}
	go func() {
		var mb float64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
				for _, ln := range strings.Split(string(b), "\n") {
					if v, ok := strings.CutPrefix(ln, "VmHWM:"); ok {
						var kb float64
						if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb); err == nil {
							mb = max(mb, kb/1024)
						}
					}
				}
			}
			select {
			case <-w.done:
				w.peak <- mb
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// stop ends the sampling and returns the peak in MiB (0 for a nil watch).
func (w *hwmWatch) stop() float64 {
	if w == nil {
		return 0
	}
	close(w.done)
	return <-w.peak
}
