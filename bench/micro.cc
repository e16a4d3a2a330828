// Micro-benchmarks of the two in-memory stages after the stream (issue 5):
//   BM_ApplyLayers  pd::applyLayer of synthetic LayerRecords (1M entries in all) into an Image
//   BM_Lint         pd::lint(image, LintOptions{}) over the resulting ~1M-path merged tree
// The records are built once, outside the timed region, and look like the reference image of
// bench/make-image.sh at 10x the entries: a base layer with accounts and ELF programs, a big
// layer of many small files in npm-style packages, a layer re-adding a quarter of them with
// other modes (what `RUN chmod -R` writes), a layer deleting a cache directory.
//
// Run: build-bench/bench/permdoctor_micro [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "fs/applier.h"
#include "fs/image.h"
#include "fs/layer_record.h"

namespace {

constexpr int kMtime = 1704067200;

pd::LayerEntry dirEntry(std::string path, uint32_t mode = 0755, uint32_t uid = 0) {
  pd::LayerEntry e;
  e.path = std::move(path);
  e.meta.type = pd::FileType::Directory;
  e.meta.mode = mode;
  e.meta.uid = e.meta.gid = uid;
  e.meta.mtime = kMtime;
  return e;
}

pd::LayerEntry fileEntry(std::string path, uint32_t mode, uint32_t uid, int64_t size) {
  pd::LayerEntry e;
  e.path = std::move(path);
  e.meta.type = pd::FileType::Regular;
  e.meta.mode = mode;
  e.meta.uid = e.meta.gid = uid;
  e.meta.size = size;
  e.meta.mtime = kMtime;
  return e;
}

int32_t addCapture(pd::LayerRecord& r, pd::Captured c) {
  r.captures.push_back(std::move(c));
  return static_cast<int32_t>(r.captures.size() - 1);
}

pd::Captured elf() {
  pd::Captured c;
  c.head = pd::Captured::Head::Elf;
  c.elfMachine = 62;  // x86-64
  c.elfClass = 2;
  c.interp = "/lib64/ld-linux-x86-64.so.2";
  return c;
}

pd::Captured script(const char* interp) {
  pd::Captured c;
  c.head = pd::Captured::Head::Script;
  c.interp = interp;
  return c;
}

pd::Captured whole(const char* text) {
  pd::Captured c;
  c.bytes = text;
  c.complete = true;
  return c;
}

// Packages of `kFilesPerPkg` files in lib/ and dist/: kPackages * (kFilesPerPkg + 3) entries.
constexpr int kPackages = 37000;
constexpr int kFilesPerPkg = 24;

std::string pkgDir(int p) {
  char b[64];
  std::snprintf(b, sizeof b, "/srv/app/node_modules/pkg%05d", p);
  return b;
}

std::vector<pd::LayerRecord> makeRecords() {
  std::vector<pd::LayerRecord> layers(4);
  const uint32_t app = 1000;

  // 0: base
  pd::LayerRecord& base = layers[0];
  for (const char* d : {"/bin", "/etc", "/lib64", "/usr", "/usr/bin", "/usr/lib", "/srv", "/tmp"})
    base.entries.push_back(dirEntry(d, std::string(d) == "/tmp" ? 01777 : 0755));
  auto acct = [&](const char* path, const char* text, uint32_t mode) {
    pd::LayerEntry e = fileEntry(path, mode, 0, static_cast<int64_t>(std::string(text).size()));
    e.capture = addCapture(base, whole(text));
    base.entries.push_back(std::move(e));
  };
  acct("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/srv/app:/bin/sh\n", 0644);
  acct("/etc/group", "root:x:0:\napp:x:1000:\n", 0644);
  acct("/etc/shadow", "root:*:19000:0:99999:7:::\n", 0640);
  {
    pd::LayerEntry e = fileEntry("/lib64/ld-linux-x86-64.so.2", 0755, 0, 200000);
    e.capture = addCapture(base, elf());
    base.entries.push_back(std::move(e));
  }
  for (int i = 0; i < 5000; ++i) {
    char b[64];
    std::snprintf(b, sizeof b, "/usr/bin/prog%04d", i);
    pd::LayerEntry e = fileEntry(b, 0755, 0, 50000 + i);
    e.capture = addCapture(base, elf());
    base.entries.push_back(std::move(e));
  }
  {
    pd::LayerEntry e = fileEntry("/bin/sh", 0777, 0, 0);
    e.meta.type = pd::FileType::Symlink;
    e.meta.link = "/usr/bin/prog0000";
    base.entries.push_back(std::move(e));
  }

  // 1: many small files
  pd::LayerRecord& big = layers[1];
  big.entries.push_back(dirEntry("/srv/app", 0755, app));
  big.entries.push_back(dirEntry("/srv/app/node_modules", 0755, app));
  for (int p = 0; p < kPackages; ++p) {
    std::string d = pkgDir(p);
    big.entries.push_back(dirEntry(d, 0755, app));
    big.entries.push_back(dirEntry(d + "/lib", 0755, app));
    big.entries.push_back(dirEntry(d + "/dist", 0755, app));
    for (int k = 0; k < kFilesPerPkg; ++k) {
      char b[32];
      std::snprintf(b, sizeof b, k % 2 ? "/dist/m%02d.js" : "/lib/m%02d.js", k);
      int r = (p * 31 + k * 7) % 100;
      pd::LayerEntry e = fileEntry(d + b, r < 4 ? 0755 : 0644, app, 100 + (p * 131 + k) % 30000);
      if (r < 2)
        e.capture = addCapture(big, script("/usr/bin/env node"));
      else if (r < 4)
        e.capture = addCapture(big, elf());
      big.entries.push_back(std::move(e));
    }
  }
  big.entries.push_back(dirEntry("/srv/app/.cache", 0755, app));
  for (int d = 0; d < 100; ++d) {
    char b[64];
    std::snprintf(b, sizeof b, "/srv/app/.cache/%02x", d);
    big.entries.push_back(dirEntry(b, 0755, app));
    for (int k = 0; k < 500; ++k) {
      char f[96];
      std::snprintf(f, sizeof f, "%s/%08x.json", b, d * 1000 + k);
      big.entries.push_back(fileEntry(f, 0644, app, 4000));
    }
  }
  big.entries.push_back(fileEntry("/srv/app/start.sh", 0755, app, 60));
  big.entries.back().capture = addCapture(big, script("/bin/sh"));

  // 2: mode changes of every 4th package (every 40th world-writable)
  pd::LayerRecord& chmod = layers[2];
  for (int p = 0; p < kPackages; p += 4) {
    bool world = p % 40 == 0;
    std::string d = pkgDir(p);
    for (const std::string& s : {d, d + "/lib", d + "/dist"})
      chmod.entries.push_back(dirEntry(s, world ? 0777 : 0775, app));
    for (int k = 0; k < kFilesPerPkg; ++k) {
      char b[32];
      std::snprintf(b, sizeof b, k % 2 ? "/dist/m%02d.js" : "/lib/m%02d.js", k);
      chmod.entries.push_back(
          fileEntry(d + b, world ? 0666 : 0664, app, 100 + (p * 131 + k) % 30000));
    }
  }

  // 3: deletes a directory
  pd::LayerRecord& del = layers[3];
  pd::LayerEntry wh;
  wh.op = pd::LayerEntry::Op::Whiteout;
  wh.path = "/srv/app/.cache";
  del.entries.push_back(wh);
  return layers;
}

// Bytes handed out by malloc: the arenas plus the large blocks it maps on its own.
size_t heapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

size_t gRecordBytes = 0;  // heap held by the records (what the collector keeps per entry)

const std::vector<pd::LayerRecord>& records() {
  static const std::vector<pd::LayerRecord> r = [] {
    size_t before = heapInUse();
    auto recs = makeRecords();
    gRecordBytes = heapInUse() - before;
    return recs;
  }();
  return r;
}

size_t totalEntries() {
  size_t n = 0;
  for (const auto& r : records()) n += r.entries.size();
  return n;
}

std::unique_ptr<pd::Image> buildImage() {
  auto img = std::make_unique<pd::Image>();
  img->source = "synthetic";
  img->format = "docker-archive";
  img->config.user = "1000:1000";
  img->config.workingDir = "/srv/app";
  img->config.entrypoint = {"/srv/app/start.sh"};
  img->config.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  img->config.architecture = "amd64";
  img->config.os = "linux";
  const auto& recs = records();
  for (size_t i = 0; i < recs.size(); ++i) {
    pd::LayerInfo li;
    li.index = static_cast<int>(i);
    li.entries = static_cast<int64_t>(recs[i].entries.size());
    li.createdBy = "synthetic layer " + std::to_string(i);
    img->config.history.push_back({li.createdBy, false});
    img->layers.push_back(li);
    pd::applyLayer(*img, recs[i], static_cast<int>(i));
  }
  return img;
}

void BM_ApplyLayers(benchmark::State& state) {
  const size_t n = totalEntries();
  size_t paths = 0, imageBytes = 0;
  for (auto _ : state) {
    size_t before = heapInUse();
    auto img = buildImage();
    imageBytes = heapInUse() - before;
    paths = img->tree.size();
    benchmark::DoNotOptimize(paths);
    state.PauseTiming();  // freeing a million nodes is not the applier's work
    img.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.counters["entries"] = static_cast<double>(n);
  state.counters["paths"] = static_cast<double>(paths);
  // Heap per record entry and per merged path: what memory grows with (DESIGN.md invariant).
  state.counters["rec_B/entry"] = static_cast<double>(gRecordBytes) / static_cast<double>(n);
  state.counters["img_B/path"] = static_cast<double>(imageBytes) / static_cast<double>(paths);
  state.counters["sizeof_entry"] = sizeof(pd::LayerEntry);
  state.counters["sizeof_node"] = sizeof(pd::Tree::Map::value_type);
}
BENCHMARK(BM_ApplyLayers)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Lint(benchmark::State& state) {
  static const std::unique_ptr<pd::Image> img = buildImage();
  pd::LintOptions opt;
  opt.today = "2024-06-01";
  size_t findings = 0;
  for (auto _ : state) {
    pd::LintResult res = pd::lint(*img, opt);
    findings = res.findings.size();
    benchmark::DoNotOptimize(findings);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * img->tree.size()));
  state.counters["paths"] = static_cast<double>(img->tree.size());
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_Lint)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
