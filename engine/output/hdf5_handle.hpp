// Owning wrappers for HDF5 identifiers. Only code in engine/output/ (and its
// tests) includes HDF5 headers.
#pragma once

#include <hdf5.h>

#include <string_view>
#include <utility>

namespace wfsim::output::h5 {

// Owns one HDF5 identifier and releases it with the matching H5?close call.
// The predefined types (H5T_NATIVE_DOUBLE, ...) are library-owned: never wrap them.
template <herr_t (*CloseFunction)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  // Closes now and reports the library's status (for the file, whose close flushes).
  herr_t close() {
    herr_t status = 0;
    if (id_ >= 0) status = CloseFunction(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }
  // Closes, ignoring failure: for destructors and cleanup after an error.
  void reset() noexcept {
    if (id_ >= 0) CloseFunction(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropertyList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;

// Turns the library's negative returns into the file's own error: `Owner`
// (a reader or a writer) provides `[[noreturn]] void fail(std::string_view what) const`.
template <typename Owner>
struct StatusChecks {
  hid_t check(hid_t id, std::string_view what) const {
    if (id < 0) owner().fail(what);
    return id;
  }
  void check(herr_t status, std::string_view what) const {
    if (status < 0) owner().fail(what);
  }

 private:
  const Owner& owner() const { return static_cast<const Owner&>(*this); }
};

}  // namespace wfsim::output::h5
