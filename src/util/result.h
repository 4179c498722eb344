// Result<T>: a T or an Error, in the style of std::expected (C++23), which C++20 lacks.
//
//   Result<Manifest> m = ParseManifest(bytes);
//   if (!m) return m.error().Context("reading manifest");
//
// PLINTH_TRY(auto x, Expr()) and PLINTH_CHECK(Expr()) return early with the error.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "util/error.h"

namespace plinth {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(data_); }
  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The value, or `fallback` when this holds an error.
  T value_or(T fallback) const& { return ok() ? std::get<0>(data_) : std::move(fallback); }

  const Error& error() const& { assert(!ok()); return std::get<1>(data_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(data_)); }

 private:
  std::variant<T, Error> data_;
};

struct Ok {};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_{ErrorKind::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace plinth

#define PLINTH_CONCAT_INNER(a, b) a##b
#define PLINTH_CONCAT(a, b) PLINTH_CONCAT_INNER(a, b)

#define PLINTH_TRY_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                    \
  if (!tmp) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()

// PLINTH_TRY(auto x, F()); declares x from F()'s value or returns F()'s error.
#define PLINTH_TRY(lhs, expr) PLINTH_TRY_IMPL(PLINTH_CONCAT(plinth_try_, __LINE__), lhs, expr)

// PLINTH_CHECK(F()); returns F()'s error if it failed (F returns a Status or Result).
#define PLINTH_CHECK(expr)                                   \
  do {                                                       \
    auto plinth_check_ = (expr);                             \
    if (!plinth_check_) return std::move(plinth_check_).error(); \
  } while (0)
