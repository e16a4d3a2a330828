// Reads one container entry straight from its Extent in the input file, through a descriptor of
// its own, so that several entries can be read at once on different threads.
#pragma once

#include <string>

#include "source/container.h"

namespace pd {

class ExtentReader : public ByteReader {
 public:
  // `label` names the entry in messages. `expectedHead` is what the container itself read at the
  // start of the entry: the extent's first bytes must equal it, or the offset was wrong.
  ExtentReader(const Extent& extent, std::string label, std::string expectedHead);
  ~ExtentReader() override;
  ExtentReader(const ExtentReader&) = delete;
  ExtentReader& operator=(const ExtentReader&) = delete;

  size_t read(char* buf, size_t n) override;
  // Free: only the position moves. Not before the expected head has been read and checked.
  int64_t skip(int64_t n) override;

 private:
  int fd_ = -1;
  int64_t pos_, end_;
  std::string label_, head_;
  size_t headPos_ = 0;
};

}  // namespace pd
