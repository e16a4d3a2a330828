// Bytes -> the JSON documents of an archive: parseJson (depth check, duplicate keys), the config
// parser, and both layout planners with the bytes as manifest.json, index.json, a nested index or
// manifest blob, and the config; then buildImage as far as the documents take it.
// The first byte picks the role, the rest is the document.
#include <string>

#include "common/json.h"
#include "common/sha256.h"
#include "fuzz_support.h"
#include "layout/config.h"
#include "layout/layout.h"
#include "source/descriptor.h"

namespace {

void addDoc(pd::Collected& c, const std::string& name, const std::string& text) {
  c.docs[name] = pd::Document{text, pd::sha256Of(text)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  int role = data[0] % 5;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  pd::fuzz::expectOnlyInputErrors([&] {
    pd::Collected c;
    c.label = "fuzz.tar";
    pd::ReadOptions ro = pd::fuzz::fuzzReadOptions();
    switch (role) {
      case 0:
        (void)pd::parseJson(text, "fuzz");
        (void)pd::parseConfig(text, "fuzz");
        return;
      case 1: {  // manifest.json of a docker archive whose config is valid
        std::string cfg = R"({"os":"linux","architecture":"amd64","rootfs":{"diff_ids":[]}})";
        addDoc(c, "config.json", cfg);
        addDoc(c, pd::sha256Of(cfg).substr(7) + ".json", cfg);
        addDoc(c, "manifest.json", text);
        break;
      }
      case 2:  // index.json of an OCI layout
        addDoc(c, "index.json", text);
        break;
      case 3: {  // a manifest or nested index blob named by a valid index.json
        std::string d = pd::sha256Of(text);
        addDoc(c, pd::blobName(d), text);
        addDoc(c, "index.json",
               R"({"schemaVersion":2,"manifests":[{"mediaType":"","digest":")" + d +
                   R"(","size":1}]})");
        break;
      }
      case 4: {  // the config, named by a valid manifest.json
        std::string d = pd::sha256Of(text);
        addDoc(c, d.substr(7) + ".json", text);
        addDoc(c, "manifest.json", R"([{"Config":")" + d.substr(7) + R"(.json","Layers":[]}])");
        break;
      }
    }
    pd::Image img = pd::buildImage(c, ro);
    pd::fuzz::lintAll(img);
  });
  return 0;
}
