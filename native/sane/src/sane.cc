// Node binding over libsane: device discovery, option descriptors and values, and scanning.
// Deliberately thin: values are converted by the option's own type and statuses are reported by
// name; the TypeScript wrapper (native/sane/index.ts) turns them into SaneError and whole pages.
//
// Threads: discovery and open run on the libuv pool (network backends can block for seconds);
// a scan runs on its own std::thread so a slow sane_read never holds a pool thread or the JS
// thread, and hands frames, data chunks and page ends to JS through a ThreadSafeFunction.
// Option calls run on the JS thread and are refused while a page is being read.
#include <napi.h>
#include <sane/sane.h>

#include <signal.h>

#if defined(__linux__)
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* StatusName(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_GOOD: return "GOOD";
    case SANE_STATUS_UNSUPPORTED: return "UNSUPPORTED";
    case SANE_STATUS_CANCELLED: return "CANCELLED";
    case SANE_STATUS_DEVICE_BUSY: return "DEVICE_BUSY";
    case SANE_STATUS_INVAL: return "INVAL";
    case SANE_STATUS_EOF: return "EOF";
    case SANE_STATUS_JAMMED: return "JAMMED";
    case SANE_STATUS_NO_DOCS: return "NO_DOCS";
    case SANE_STATUS_COVER_OPEN: return "COVER_OPEN";
    case SANE_STATUS_IO_ERROR: return "IO_ERROR";
    case SANE_STATUS_NO_MEM: return "NO_MEM";
    case SANE_STATUS_ACCESS_DENIED: return "ACCESS_DENIED";
  }
  return "UNKNOWN";
}

// Every error thrown to JS carries `status` (a SANE status name) so the wrapper can map it.
Napi::Error StatusError(Napi::Env env, const char* status, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Value().Set("status", status);
  return error;
}

Napi::Error SaneError(Napi::Env env, SANE_Status status, const std::string& during) {
  return StatusError(env, StatusName(status), during + ": " + sane_strstatus(status));
}

const char* TypeName(SANE_Value_Type type) {
  switch (type) {
    case SANE_TYPE_BOOL: return "BOOL";
    case SANE_TYPE_INT: return "INT";
    case SANE_TYPE_FIXED: return "FIXED";
    case SANE_TYPE_STRING: return "STRING";
    case SANE_TYPE_BUTTON: return "BUTTON";
    case SANE_TYPE_GROUP: return "GROUP";
  }
  return "UNKNOWN";
}

const char* UnitName(SANE_Unit unit) {
  switch (unit) {
    case SANE_UNIT_NONE: return "NONE";
    case SANE_UNIT_PIXEL: return "PIXEL";
    case SANE_UNIT_BIT: return "BIT";
    case SANE_UNIT_MM: return "MM";
    case SANE_UNIT_DPI: return "DPI";
    case SANE_UNIT_PERCENT: return "PERCENT";
    case SANE_UNIT_MICROSECOND: return "MICROSECOND";
  }
  return "UNKNOWN";
}

std::string FrameName(SANE_Frame frame) {
  switch (frame) {
    case SANE_FRAME_GRAY: return "GRAY";
    case SANE_FRAME_RGB: return "RGB";
    case SANE_FRAME_RED: return "RED";
    case SANE_FRAME_GREEN: return "GREEN";
    case SANE_FRAME_BLUE: return "BLUE";
  }
  return "FRAME_" + std::to_string(static_cast<int>(frame));
}

// sane_init once per process, sane_exit when the last Node environment using the addon goes away.
// The global calls (init, get_devices, open, exit) are serialised; per-handle calls are not global.
std::mutex globalMutex;
int environments = 0;
bool initialised = false;
// Scan threads left inside a backend call (see Device::Shutdown). While one exists sane_exit is
// never called: it would unload the backend's code from under that thread.
std::atomic<int> abandonedScans{0};
// How long close() and teardown wait for a scan thread to leave the backend.
constexpr std::chrono::milliseconds kStopPatience{5000};

// Backends built on sanei_thread set SIGPIPE to SIG_DFL whenever they end a reader thread
// (restore_sigpipe in sanei_thread_waitpid), although Node ignores it: the process would then die
// on its next write to a closed pipe or socket. The scan thread puts back what the process had.
class SigpipeKeeper {
 public:
  SigpipeKeeper() { sigaction(SIGPIPE, nullptr, &saved_); }
  void Restore() const {
    struct sigaction now {};
    if (sigaction(SIGPIPE, nullptr, &now) == 0 && now.sa_handler != saved_.sa_handler) sigaction(SIGPIPE, &saved_, nullptr);
  }

 private:
  struct sigaction saved_ {};
};

// Backends built on sanei_thread read the device on a thread of their own and end it with an
// asynchronous pthread_cancel (sane_cancel, and sane_read at the end of a page). A thread cancelled
// inside malloc keeps that arena's lock for good: its own exit deadlocks on it, sane_cancel then
// waits for it for ever, and every later fork() of the process (child_process.spawn) blocks on the
// same lock. A page that fails at its first read (a jam, an open cover) cancels a reader that is
// typically still starting, allocating its buffers. So before sane_cancel the scan thread waits,
// briefly and boundedly, until each thread the backend started is gone or blocked in a system
// call other than the memory calls malloc makes while holding its lock.
class BackendThreads {
 public:
  // Call around sane_start: the threads that appeared meanwhile are the backend's.
  void Before() { before_ = Threads(); }
  void After() {
    const long self = Self();
    for (long tid : Threads()) {
      if (before_.count(tid) == 0 && tid != self) started_.insert(tid);
    }
  }

  // Waits up to `patience` for the backend's threads to be safe to cancel; forgets them after.
  void Settle(std::chrono::milliseconds patience) {
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (!started_.empty() && std::chrono::steady_clock::now() < deadline) {
      for (auto it = started_.begin(); it != started_.end();) it = SafeToCancel(*it) ? started_.erase(it) : std::next(it);
      if (!started_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    started_.clear();
  }

 private:
#if defined(__linux__)
  static long Self() { return static_cast<long>(syscall(SYS_gettid)); }

  static std::set<long> Threads() {
    std::set<long> tids;
    if (DIR* dir = opendir("/proc/self/task")) {
      while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') tids.insert(std::strtol(entry->d_name, nullptr, 10));
      }
      closedir(dir);
    }
    return tids;
  }

  // Gone, or blocked in a system call (the file names it by number; "running" while it runs user
  // code, which may be inside malloc) that is not one malloc makes with its arena locked.
  static bool SafeToCancel(long tid) {
    std::ifstream file("/proc/self/task/" + std::to_string(tid) + "/syscall");
    if (!file) return true;
    std::string first;
    if (!(file >> first) || first == "running") return false;
    char* end = nullptr;
    long number = std::strtol(first.c_str(), &end, 10);
    if (end == first.c_str() || number < 0) return false;
    static const std::set<long> memoryCalls = {SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect, SYS_madvise, SYS_brk};
    return memoryCalls.count(number) == 0;
  }
#else
  // Elsewhere SANE backends are not known to cancel their readers asynchronously.
  static long Self() { return 0; }
  static std::set<long> Threads() { return {}; }
  static bool SafeToCancel(long) { return true; }
#endif

  std::set<long> before_;
  std::set<long> started_;
};

// How long the scan thread waits for the backend's reader before sane_cancel regardless.
constexpr std::chrono::milliseconds kReaderSettle{1000};

SANE_Status EnsureInitialised() {
  if (initialised) return SANE_STATUS_GOOD;
  SANE_Int version = 0;
  SANE_Status status = sane_init(&version, nullptr);
  if (status == SANE_STATUS_GOOD) initialised = true;
  return status;
}

class Device;

// Per-environment state: the open devices, so cleanup can cancel scans and close handles.
struct Addon {
  std::set<Device*> devices;
  Napi::FunctionReference deviceConstructor;
  bool shutDown = false;
};

Napi::Object ParametersObject(Napi::Env env, const SANE_Parameters& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("format", FrameName(p.format));
  o.Set("lastFrame", Napi::Boolean::New(env, p.last_frame == SANE_TRUE));
  o.Set("bytesPerLine", p.bytes_per_line);
  o.Set("pixelsPerLine", p.pixels_per_line);
  o.Set("lines", p.lines);
  o.Set("depth", p.depth);
  return o;
}

// What the scan thread hands to JS, one at a time and in order.
struct ScanEvent {
  enum class Kind { Frame, Data, Page, Stopping, End };
  explicit ScanEvent(Kind k) : kind(k) {}
  Kind kind;
  SANE_Parameters params{};
  std::vector<SANE_Byte> data;
  SANE_Status status = SANE_STATUS_GOOD;
  std::string during;
  int pages = 0;
  class Device* device = nullptr;  // set on End: who to join
};

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "SaneDevice",
                       {
                           InstanceMethod<&Device::Options>("options"),
                           InstanceMethod<&Device::Get>("get"),
                           InstanceMethod<&Device::Set>("set"),
                           InstanceMethod<&Device::SetAuto>("setAuto"),
                           InstanceMethod<&Device::Parameters>("parameters"),
                           InstanceMethod<&Device::Scan>("scan"),
                           InstanceMethod<&Device::Resume>("resume"),
                           InstanceMethod<&Device::Cancel>("cancel"),
                           InstanceMethod<&Device::Close>("close"),
                       });
  }

  // Constructed only by OpenWorker, with the opened handle wrapped in an External.
  explicit Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info) {
    if (info.Length() < 2 || !info[0].IsExternal() || !info[1].IsString()) {
      throw Napi::TypeError::New(info.Env(), "SaneDevice is created by open()");
    }
    handle_ = info[0].As<Napi::External<void>>().Data();
    name_ = info[1].As<Napi::String>();
    addon_ = info.Env().GetInstanceData<Addon>();
    addon_->devices.insert(this);
  }

  ~Device() override {
    Shutdown(kStopPatience);
    if (addon_ != nullptr) addon_->devices.erase(this);
  }

  // Cancels a running scan, waits up to `patience` for its thread, closes the handle; used by
  // close() and at environment teardown. A scan thread that does not stop in time is stuck inside
  // the backend (SANE's reader threads are cancelled asynchronously, and one cancelled inside
  // malloc deadlocks its own exit, so sane_cancel never returns): it is detached and the handle
  // abandoned, never closed, because the backend is still inside a call on it. Returns whether the
  // device stopped; an abandoned one is the device worker's to end with its process.
  bool Shutdown(std::chrono::milliseconds patience) {
    if (thread_.joinable()) {
      RequestCancel();
      bool stopped;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        stopped = cv_.wait_for(lock, patience, [this] { return phase_ == Phase::Idle; });
      }
      if (!stopped) {
        thread_.detach();
        handle_ = nullptr;
        abandonedScans++;
        return false;
      }
      thread_.join();
    }
    if (handle_ != nullptr) {
      sane_close(handle_);
      handle_ = nullptr;
    }
    return true;
  }

  void ForgetAddon() { addon_ = nullptr; }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  enum class Phase { Idle, Reading, BetweenPages };

  void RequireOpen(Napi::Env env) const {
    if (handle_ == nullptr) throw StatusError(env, "INVAL", "device " + name_ + " is closed");
  }

  // Options may change only while no page is being read; between ADF pages the scan thread is
  // parked on the condition variable and the handle is free.
  void RequireNotReading(Napi::Env env) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (phase_ == Phase::Reading) throw StatusError(env, "DEVICE_BUSY", "device " + name_ + " is reading a page");
  }

  SANE_Int OptionCount(Napi::Env env) {
    SANE_Int count = 0;
    SANE_Status status = sane_control_option(handle_, 0, SANE_ACTION_GET_VALUE, &count, nullptr);
    if (status != SANE_STATUS_GOOD) throw SaneError(env, status, "read option count");
    return count;
  }

  // Looks the option up by name each time: descriptors may change after SANE_INFO_RELOAD_OPTIONS.
  std::pair<SANE_Int, const SANE_Option_Descriptor*> Find(Napi::Env env, const std::string& name) {
    SANE_Int count = OptionCount(env);
    for (SANE_Int i = 1; i < count; i++) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle_, i);
      if (d != nullptr && d->name != nullptr && name == d->name) return {i, d};
    }
    Napi::Error error = StatusError(env, "INVAL", "device " + name_ + " has no option " + name);
    error.Value().Set("option", name);
    throw error;
  }

  static bool HasValue(const SANE_Option_Descriptor* d) {
    return d->type != SANE_TYPE_GROUP && d->type != SANE_TYPE_BUTTON && SANE_OPTION_IS_ACTIVE(d->cap) &&
           (d->cap & SANE_CAP_SOFT_DETECT) != 0;
  }

  static Napi::Value ToJs(Napi::Env env, const SANE_Option_Descriptor* d, const std::vector<SANE_Word>& buffer) {
    size_t words = static_cast<size_t>(d->size) / sizeof(SANE_Word);
    switch (d->type) {
      case SANE_TYPE_BOOL:
        return Napi::Boolean::New(env, buffer[0] == SANE_TRUE);
      case SANE_TYPE_INT:
      case SANE_TYPE_FIXED: {
        auto convert = [&](SANE_Word w) {
          return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w);
        };
        if (words == 1) return Napi::Number::New(env, convert(buffer[0]));
        Napi::Array array = Napi::Array::New(env, words);
        for (size_t i = 0; i < words; i++) array.Set(static_cast<uint32_t>(i), convert(buffer[i]));
        return array;
      }
      case SANE_TYPE_STRING: {
        const char* text = reinterpret_cast<const char*>(buffer.data());
        return Napi::String::New(env, text, strnlen(text, static_cast<size_t>(d->size)));
      }
      default:
        return env.Undefined();
    }
  }

  // A buffer of whole words, at least one, large enough for the option's declared size.
  static std::vector<SANE_Word> Buffer(const SANE_Option_Descriptor* d) {
    size_t words = (static_cast<size_t>(d->size) + sizeof(SANE_Word) - 1) / sizeof(SANE_Word);
    return std::vector<SANE_Word>(words == 0 ? 1 : words, 0);
  }

  Napi::Value Read(Napi::Env env, SANE_Int index, const SANE_Option_Descriptor* d) {
    std::vector<SANE_Word> buffer = Buffer(d);
    SANE_Status status = sane_control_option(handle_, index, SANE_ACTION_GET_VALUE, buffer.data(), nullptr);
    if (status != SANE_STATUS_GOOD) throw SaneError(env, status, std::string("read option ") + d->name);
    return ToJs(env, d, buffer);
  }

  static void FromJs(Napi::Env env, const SANE_Option_Descriptor* d, Napi::Value value, std::vector<SANE_Word>& buffer) {
    size_t words = static_cast<size_t>(d->size) / sizeof(SANE_Word);
    auto bad = [&](const std::string& expected) {
      Napi::Error error = StatusError(env, "INVAL", std::string("option ") + d->name + " expects " + expected);
      error.Value().Set("option", d->name);
      return error;
    };
    switch (d->type) {
      case SANE_TYPE_BOOL:
        if (!value.IsBoolean()) throw bad("a boolean");
        buffer[0] = value.As<Napi::Boolean>().Value() ? SANE_TRUE : SANE_FALSE;
        return;
      case SANE_TYPE_INT:
      case SANE_TYPE_FIXED: {
        auto convert = [&](Napi::Value v) -> SANE_Word {
          if (!v.IsNumber()) throw bad("a number");
          double n = v.As<Napi::Number>().DoubleValue();
          return d->type == SANE_TYPE_FIXED ? SANE_FIX(n) : static_cast<SANE_Word>(n);
        };
        if (value.IsArray()) {
          Napi::Array array = value.As<Napi::Array>();
          if (array.Length() != words) throw bad(std::to_string(words) + " numbers");
          for (uint32_t i = 0; i < array.Length(); i++) buffer[i] = convert(array.Get(i));
        } else {
          // A single number fills every element, the way scanimage treats a scalar for an array.
          SANE_Word w = convert(value);
          for (size_t i = 0; i < words; i++) buffer[i] = w;
        }
        return;
      }
      case SANE_TYPE_STRING: {
        if (!value.IsString()) throw bad("a string");
        std::string text = value.As<Napi::String>();
        if (text.size() + 1 > static_cast<size_t>(d->size)) throw bad("at most " + std::to_string(d->size - 1) + " bytes");
        std::memcpy(buffer.data(), text.c_str(), text.size() + 1);
        return;
      }
      default:
        throw bad("no value");
    }
  }

  Napi::Value Options(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    RequireNotReading(env);
    SANE_Int count = OptionCount(env);
    Napi::Array list = Napi::Array::New(env);
    for (SANE_Int i = 1; i < count; i++) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle_, i);
      if (d == nullptr) continue;
      Napi::Object o = Napi::Object::New(env);
      o.Set("index", i);
      o.Set("name", d->name != nullptr ? d->name : "");
      o.Set("title", d->title != nullptr ? d->title : "");
      o.Set("description", d->desc != nullptr ? d->desc : "");
      o.Set("type", TypeName(d->type));
      o.Set("unit", UnitName(d->unit));
      o.Set("size", d->size);
      Napi::Object cap = Napi::Object::New(env);
      cap.Set("softSelect", Napi::Boolean::New(env, (d->cap & SANE_CAP_SOFT_SELECT) != 0));
      cap.Set("hardSelect", Napi::Boolean::New(env, (d->cap & SANE_CAP_HARD_SELECT) != 0));
      cap.Set("softDetect", Napi::Boolean::New(env, (d->cap & SANE_CAP_SOFT_DETECT) != 0));
      cap.Set("emulated", Napi::Boolean::New(env, (d->cap & SANE_CAP_EMULATED) != 0));
      cap.Set("automatic", Napi::Boolean::New(env, (d->cap & SANE_CAP_AUTOMATIC) != 0));
      cap.Set("inactive", Napi::Boolean::New(env, (d->cap & SANE_CAP_INACTIVE) != 0));
      cap.Set("advanced", Napi::Boolean::New(env, (d->cap & SANE_CAP_ADVANCED) != 0));
      o.Set("capabilities", cap);
      auto word = [&](SANE_Word w) {
        return Napi::Number::New(env, d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : static_cast<double>(w));
      };
      Napi::Value constraint = env.Null();
      if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range != nullptr) {
        Napi::Object c = Napi::Object::New(env);
        c.Set("kind", "range");
        c.Set("min", word(d->constraint.range->min));
        c.Set("max", word(d->constraint.range->max));
        c.Set("quant", word(d->constraint.range->quant));
        constraint = c;
      } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list != nullptr) {
        Napi::Object c = Napi::Object::New(env);
        c.Set("kind", "wordList");
        Napi::Array values = Napi::Array::New(env);
        // The first word is the list's length.
        for (SANE_Word k = 1; k <= d->constraint.word_list[0]; k++) values.Set(static_cast<uint32_t>(k - 1), word(d->constraint.word_list[k]));
        c.Set("values", values);
        constraint = c;
      } else if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST && d->constraint.string_list != nullptr) {
        Napi::Object c = Napi::Object::New(env);
        c.Set("kind", "stringList");
        Napi::Array values = Napi::Array::New(env);
        for (uint32_t k = 0; d->constraint.string_list[k] != nullptr; k++) values.Set(k, d->constraint.string_list[k]);
        c.Set("values", values);
        constraint = c;
      }
      o.Set("constraint", constraint);
      if (HasValue(d)) o.Set("value", Read(env, i, d));
      list.Set(list.Length(), o);
    }
    return list;
  }

  Napi::Value Get(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    RequireNotReading(env);
    auto [index, d] = Find(env, info[0].ToString());
    if (!HasValue(d)) return env.Undefined();
    return Read(env, index, d);
  }

  Napi::Object SetResult(Napi::Env env, SANE_Int index, SANE_Int flags) {
    Napi::Object result = Napi::Object::New(env);
    // Read the effective value back: backends clamp and round, and say so only by a flag.
    const SANE_Option_Descriptor* now = sane_get_option_descriptor(handle_, index);
    result.Set("value", now != nullptr && HasValue(now) ? Read(env, index, now) : env.Undefined());
    result.Set("inexact", Napi::Boolean::New(env, (flags & SANE_INFO_INEXACT) != 0));
    result.Set("reloadOptions", Napi::Boolean::New(env, (flags & SANE_INFO_RELOAD_OPTIONS) != 0));
    result.Set("reloadParams", Napi::Boolean::New(env, (flags & SANE_INFO_RELOAD_PARAMS) != 0));
    return result;
  }

  void RequireSettable(Napi::Env env, const SANE_Option_Descriptor* d) {
    const char* problem = !SANE_OPTION_IS_ACTIVE(d->cap)      ? " is inactive"
                          : !SANE_OPTION_IS_SETTABLE(d->cap)  ? " cannot be set by software"
                          : d->type == SANE_TYPE_GROUP        ? " is a group"
                                                              : nullptr;
    if (problem == nullptr) return;
    Napi::Error error = StatusError(env, "INVAL", std::string("option ") + d->name + problem);
    error.Value().Set("option", d->name);
    throw error;
  }

  Napi::Value Set(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    RequireNotReading(env);
    auto [index, d] = Find(env, info[0].ToString());
    RequireSettable(env, d);
    SANE_Int flags = 0;
    SANE_Status status;
    if (d->type == SANE_TYPE_BUTTON) {
      status = sane_control_option(handle_, index, SANE_ACTION_SET_VALUE, nullptr, &flags);
    } else {
      std::vector<SANE_Word> buffer = Buffer(d);
      FromJs(env, d, info[1], buffer);
      status = sane_control_option(handle_, index, SANE_ACTION_SET_VALUE, buffer.data(), &flags);
    }
    if (status != SANE_STATUS_GOOD) {
      Napi::Error error = SaneError(env, status, std::string("set option ") + d->name);
      error.Value().Set("option", d->name);
      throw error;
    }
    return SetResult(env, index, flags);
  }

  Napi::Value SetAuto(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    RequireNotReading(env);
    auto [index, d] = Find(env, info[0].ToString());
    RequireSettable(env, d);
    SANE_Int flags = 0;
    SANE_Status status = sane_control_option(handle_, index, SANE_ACTION_SET_AUTO, nullptr, &flags);
    if (status != SANE_STATUS_GOOD) {
      Napi::Error error = SaneError(env, status, std::string("set option ") + d->name + " to automatic");
      error.Value().Set("option", d->name);
      throw error;
    }
    return SetResult(env, index, flags);
  }

  // The backend's estimate of the next frame, before sane_start (may differ once scanning).
  Napi::Value Parameters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    RequireNotReading(env);
    SANE_Parameters p{};
    SANE_Status status = sane_get_parameters(handle_, &p);
    if (status != SANE_STATUS_GOOD) throw SaneError(env, status, "get parameters");
    return ParametersObject(env, p);
  }

  // scan(batch, onEvent): starts the scan thread. Events: {type:'frame', params}, {type:'data',
  // data}, {type:'page'} and finally {type:'end', status, during, pages}. In a batch the thread
  // waits after each page for resume() (feed the next sheet) or cancel() (stop the batch).
  Napi::Value Scan(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    if (thread_.joinable()) throw StatusError(env, "DEVICE_BUSY", "device " + name_ + " is already scanning");
    if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "scan(batch, onEvent)");
    bool batch = info[0].ToBoolean();
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "sane-scan", 0, 1);
    cancel_ = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      phase_ = Phase::Reading;
      next_ = false;
    }
    Ref();  // keep this object alive until the end event reached JS
    thread_ = std::thread([this, batch, sigpipe = SigpipeKeeper()] { Run(batch, sigpipe); });
    return env.Undefined();
  }

  Napi::Value Resume(const Napi::CallbackInfo& info) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (phase_ == Phase::BetweenPages) next_ = true;
    }
    cv_.notify_all();
    return info.Env().Undefined();
  }

  // The scan thread calls sane_cancel as soon as the backend's current call returns. Calling
  // sane_cancel from here while that thread is inside sane_read would race inside backends that
  // are not written for it (the test backend closes the pipe being read); a driver that never
  // returns is the device worker's to kill.
  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    RequestCancel();
    return info.Env().Undefined();
  }

  // Set under the mutex: otherwise the flag can change between the scan thread's check of the
  // wait predicate and its wait, and the notification is lost (a batch parked for ever).
  void RequestCancel() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancel_ = true;
    }
    cv_.notify_all();
  }

  // close(patienceMs?): see Shutdown; answers whether the device stopped.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    auto patience = kStopPatience;
    if (info.Length() > 0 && info[0].IsNumber()) {
      patience = std::chrono::milliseconds(std::max<int64_t>(0, info[0].As<Napi::Number>().Int64Value()));
    }
    return Napi::Boolean::New(info.Env(), Shutdown(patience));
  }

  void Post(ScanEvent* event) {
    if (tsfn_.NonBlockingCall(event, Deliver) != napi_ok) delete event;
  }

  static void Deliver(Napi::Env env, Napi::Function callback, ScanEvent* raw) {
    std::unique_ptr<ScanEvent> event(raw);
    if (env == nullptr) return;  // the environment is being torn down
    Napi::Object o = Napi::Object::New(env);
    switch (event->kind) {
      case ScanEvent::Kind::Frame:
        o.Set("type", "frame");
        o.Set("params", ParametersObject(env, event->params));
        break;
      case ScanEvent::Kind::Data:
        o.Set("type", "data");
        // A copy, not an external buffer: Electron's V8 sandbox refuses external memory.
        o.Set("data", Napi::Buffer<uint8_t>::Copy(env, event->data.data(), event->data.size()));
        break;
      case ScanEvent::Kind::Page:
        o.Set("type", "page");
        break;
      case ScanEvent::Kind::Stopping:
        o.Set("type", "stopping");
        o.Set("status", StatusName(event->status));
        o.Set("during", event->during);
        o.Set("pages", event->pages);
        break;
      case ScanEvent::Kind::End:
        event->device->Finish();
        o.Set("type", "end");
        o.Set("status", StatusName(event->status));
        o.Set("during", event->during);
        o.Set("pages", event->pages);
        break;
    }
    callback.Call({o});
  }

  // One batch on the scan thread: pages of one or more frames, until a single page is done, the
  // feeder is empty (NO_DOCS), JS stops or cancels, or the device reports a fault.
  SANE_Status Batch(bool batch, int& pages, std::string& during, const SigpipeKeeper& sigpipe) {
    std::vector<SANE_Byte> buffer(kChunk);
    for (;;) {
      bool lastFrame = false;
      while (!lastFrame) {
        during = "start";
        if (cancel_) return SANE_STATUS_CANCELLED;
        backendThreads_.Before();
        SANE_Status status = sane_start(handle_);
        backendThreads_.After();
        if (status != SANE_STATUS_GOOD) return status;
        during = "parameters";
        auto frame = new ScanEvent(ScanEvent::Kind::Frame);
        status = sane_get_parameters(handle_, &frame->params);
        if (status != SANE_STATUS_GOOD) {
          delete frame;
          return status;
        }
        lastFrame = frame->params.last_frame == SANE_TRUE;
        Post(frame);
        during = "read";
        // Small reads (some backends return a few lines at a time) are gathered into chunks of
        // at least kChunk bytes, so JS sees a bounded number of events per page.
        std::vector<SANE_Byte> pending;
        pending.reserve(kChunk);
        for (;;) {
          if (cancel_) return SANE_STATUS_CANCELLED;
          SANE_Int length = 0;
          status = sane_read(handle_, buffer.data(), static_cast<SANE_Int>(buffer.size()), &length);
          if (length > 0) pending.insert(pending.end(), buffer.begin(), buffer.begin() + length);
          if (!pending.empty() && (pending.size() >= kChunk || status == SANE_STATUS_EOF)) {
            auto data = new ScanEvent(ScanEvent::Kind::Data);
            data->data.swap(pending);
            Post(data);
            pending.reserve(kChunk);
          }
          if (status != SANE_STATUS_GOOD) sigpipe.Restore();
          if (status == SANE_STATUS_EOF) break;
          if (status != SANE_STATUS_GOOD) return status;
        }
      }
      pages++;
      if (!batch) {
        Post(new ScanEvent(ScanEvent::Kind::Page));
        return SANE_STATUS_GOOD;
      }
      // Between pages BEFORE JS hears of the page: JS answers the page event with resume() or
      // option changes, and either would be refused or lost if it arrived while this thread,
      // preempted, still said Reading (seen as batches that hung on a busy machine).
      {
        std::lock_guard<std::mutex> lock(mutex_);
        phase_ = Phase::BetweenPages;
        next_ = false;
      }
      Post(new ScanEvent(ScanEvent::Kind::Page));
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return next_ || cancel_; });
      phase_ = Phase::Reading;
      if (cancel_) return SANE_STATUS_CANCELLED;
    }
  }

  void Run(bool batch, const SigpipeKeeper& sigpipe) {
    auto end = new ScanEvent(ScanEvent::Kind::End);
    end->status = Batch(batch, end->pages, end->during, sigpipe);
    // The outcome reaches JS before sane_cancel, which a backend may never return from (see
    // Shutdown): the clerk is then still told the fault itself, not only that the scanner hangs.
    auto stopping = new ScanEvent(ScanEvent::Kind::Stopping);
    stopping->status = end->status;
    stopping->pages = end->pages;
    stopping->during = end->during;
    Post(stopping);
    // SANE asks for sane_cancel after every batch, finished or not; it also releases the ADF.
    backendThreads_.Settle(kReaderSettle);
    sane_cancel(handle_);
    sigpipe.Restore();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      phase_ = Phase::Idle;
    }
    cv_.notify_all();
    end->device = this;
    // Release after the last call: the function stays valid until the end event was delivered.
    Napi::ThreadSafeFunction tsfn = tsfn_;
    Post(end);
    tsfn.Release();
  }

  // On the JS thread, when the end event arrives: the thread has nothing left to do but return.
  void Finish() {
    if (thread_.joinable()) thread_.join();
    Unref();
  }

  friend class OpenWorker;

  void* handle_ = nullptr;
  std::string name_;
  Addon* addon_ = nullptr;
  std::thread thread_;
  Napi::ThreadSafeFunction tsfn_;
  std::mutex mutex_;
  std::condition_variable cv_;
  Phase phase_ = Phase::Idle;
  bool next_ = false;
  std::atomic<bool> cancel_{false};
  BackendThreads backendThreads_;  // used by the scan thread only
};

}  // namespace

namespace {

// listDevices(localOnly): sane_get_devices on the libuv pool.
class DevicesWorker : public Napi::AsyncWorker {
 public:
  DevicesWorker(Napi::Env env, bool localOnly) : Napi::AsyncWorker(env), deferred_(env), localOnly_(localOnly) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    std::lock_guard<std::mutex> lock(globalMutex);
    status_ = EnsureInitialised();
    if (status_ != SANE_STATUS_GOOD) return;
    const SANE_Device** list = nullptr;
    status_ = sane_get_devices(&list, localOnly_ ? SANE_TRUE : SANE_FALSE);
    if (status_ != SANE_STATUS_GOOD || list == nullptr) return;
    // The list belongs to libsane and is valid only until the next call: copy it now.
    for (size_t i = 0; list[i] != nullptr; i++) {
      auto text = [](SANE_String_Const s) { return std::string(s != nullptr ? s : ""); };
      devices_.push_back({text(list[i]->name), text(list[i]->vendor), text(list[i]->model), text(list[i]->type)});
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (status_ != SANE_STATUS_GOOD) {
      deferred_.Reject(SaneError(env, status_, "list devices").Value());
      return;
    }
    Napi::Array array = Napi::Array::New(env, devices_.size());
    for (size_t i = 0; i < devices_.size(); i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", devices_[i][0]);
      o.Set("vendor", devices_[i][1]);
      o.Set("model", devices_[i][2]);
      o.Set("type", devices_[i][3]);
      array.Set(static_cast<uint32_t>(i), o);
    }
    deferred_.Resolve(array);
  }

 private:
  Napi::Promise::Deferred deferred_;
  bool localOnly_;
  SANE_Status status_ = SANE_STATUS_GOOD;
  std::vector<std::array<std::string, 4>> devices_;
};

// open(name): sane_open on the libuv pool (a network scanner answers slowly).
class OpenWorker : public Napi::AsyncWorker {
 public:
  OpenWorker(Napi::Env env, std::string name) : Napi::AsyncWorker(env), deferred_(env), name_(std::move(name)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    std::lock_guard<std::mutex> lock(globalMutex);
    status_ = EnsureInitialised();
    if (status_ == SANE_STATUS_GOOD) status_ = sane_open(name_.c_str(), &handle_);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (status_ != SANE_STATUS_GOOD) {
      Napi::Error error = SaneError(env, status_, "open " + name_);
      error.Value().Set("device", name_);
      deferred_.Reject(error.Value());
      return;
    }
    Addon* addon = env.GetInstanceData<Addon>();
    if (addon->shutDown) {
      sane_close(handle_);
      deferred_.Reject(StatusError(env, "INVAL", "the SANE binding was shut down").Value());
      return;
    }
    deferred_.Resolve(addon->deviceConstructor.New({Napi::External<void>::New(env, handle_), Napi::String::New(env, name_)}));
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string name_;
  SANE_Handle handle_ = nullptr;
  SANE_Status status_ = SANE_STATUS_GOOD;
};

Napi::Value ListDevices(const Napi::CallbackInfo& info) {
  auto* worker = new DevicesWorker(info.Env(), info[0].ToBoolean());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "open(name: string)");
  auto* worker = new OpenWorker(info.Env(), info[0].As<Napi::String>());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// Closes this environment's devices (cancelling scans) and, for the last environment, calls
// sane_exit. Runs from the environment's cleanup hook and from the wrapper at process exit.
void ShutdownAddon(Addon* addon) {
  if (addon->shutDown) return;
  addon->shutDown = true;
  for (Device* device : addon->devices) {
    device->Shutdown(kStopPatience);
    device->ForgetAddon();
  }
  addon->devices.clear();
  std::lock_guard<std::mutex> lock(globalMutex);
  if (--environments == 0 && initialised && abandonedScans == 0) {
    sane_exit();
    initialised = false;
  }
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  ShutdownAddon(info.Env().GetInstanceData<Addon>());
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* addon = new Addon();
  addon->deviceConstructor = Napi::Persistent(Device::Define(env));
  env.SetInstanceData(addon);
  {
    std::lock_guard<std::mutex> lock(globalMutex);
    environments++;
  }
  // Registered after the N-API environment itself, so it runs before its finalizers.
  env.AddCleanupHook([addon] { ShutdownAddon(addon); });
  exports.Set("listDevices", Napi::Function::New<ListDevices>(env, "listDevices"));
  exports.Set("open", Napi::Function::New<Open>(env, "open"));
  exports.Set("shutdown", Napi::Function::New<Shutdown>(env, "shutdown"));
  return exports;
}

}  // namespace

NODE_API_MODULE(sane, Init)
