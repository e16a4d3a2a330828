#include "layout/config.h"

#include "common/error.h"
#include "common/json.h"

namespace pd {

ImageConfig parseConfig(const std::string& text, const std::string& where) {
  Json j = parseJson(text, where);
  requireObject(j, where);
  ImageConfig c;
  c.architecture = getString(j, "architecture", where);
  c.os = getString(j, "os", where);
  c.variant = getString(j, "variant", where);
  auto cfg = j.find("config");
  if (cfg != j.end() && !cfg->is_null()) {
    const std::string w = where + " config";
    requireObject(*cfg, w);
    c.user = getString(*cfg, "User", w);
    c.workingDir = getString(*cfg, "WorkingDir", w);
    c.entrypoint = getStringArray(*cfg, "Entrypoint", w);
    c.cmd = getStringArray(*cfg, "Cmd", w);
    c.env = getStringArray(*cfg, "Env", w);
  }
  auto rootfs = j.find("rootfs");
  if (rootfs == j.end() || !rootfs->is_object())
    throw InputError(where, "not an image config (no rootfs)");
  c.diffIds = getStringArray(*rootfs, "diff_ids", where + " rootfs");
  auto hist = j.find("history");
  if (hist != j.end() && !hist->is_null()) {
    if (!hist->is_array()) throw InputError(where, "\"history\" is not an array");
    for (const auto& h : *hist) {
      requireObject(h, where + " history");
      HistoryEntry e;
      e.createdBy = getString(h, "created_by", where + " history");
      auto el = h.find("empty_layer");
      e.emptyLayer = el != h.end() && el->is_boolean() && el->get<bool>();
      c.history.push_back(std::move(e));
    }
  }
  return c;
}

}  // namespace pd
