#include "serve/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "model/calendar.hpp"
#include "report/report.hpp"
#include "scenario/json_schema.hpp"
#include "scenario/schema_catalogue.hpp"
#include "serve/figures.hpp"
#include "serve/option.hpp"
#include "serve/page.hpp"
#include "serve/whatif.hpp"

namespace wfsim::serve {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using scenario::SchemaEntry;

constexpr int kHandlerThreads = 8;
constexpr auto kLongestWait = std::chrono::minutes(10);
constexpr std::size_t kMaxClientIdLength = 64;
constexpr std::string_view kSuperseded = "superseded by a newer request from this page";
constexpr std::size_t kRememberedPages = 1024;  // pages whose latest request is remembered; then forgotten

// A request the server will not serve, with the status that says why.
struct RequestError {
  int status;
  std::string key;
  std::string message;
};

void send_json(httplib::Response& response, int status, const Json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& response, const RequestError& error) {
  send_json(response, error.status, Json{{"error", Json{{"key", error.key}, {"message", error.message}}}});
}

Json parse_body(const httplib::Request& request) {
  if (request.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
    throw RequestError{415, "", "expected a JSON body (Content-Type: application/json)"};
  }
  if (!json_depth_within(request.body, kMaxJsonDepth)) {
    throw RequestError{400, "", fmt::format("the request nests deeper than {} levels", kMaxJsonDepth)};
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw RequestError{400, "", "the request is not a JSON object"};
  return body;
}

const Json& member(const Json& object, const char* key, Json::value_t type, const char* what) {
  const auto found = object.find(key);
  if (found == object.end() || found->type() != type) {
    throw RequestError{400, key, fmt::format("expected '{}' to be {}", key, what)};
  }
  return *found;
}

OptionRequest option_request(const Json& body) {
  const Json& option = member(body, "option", Json::value_t::object, "an object");
  OptionRequest request;
  request.name = member(option, "name", Json::value_t::string, "a string").get<std::string>();
  const auto description = option.find("description");
  if (description != option.end()) {
    if (!description->is_string()) throw RequestError{400, "description", "expected a string"};
    request.description = description->get<std::string>();
  }
  const Json& values = member(option, "values", Json::value_t::object, "an object of keys and YAML text");
  if (values.size() > scenario::schema_entries().size()) {
    throw RequestError{400, "values", "more values than a scenario has keys"};
  }
  for (const auto& [key, text] : values.items()) {
    if (!text.is_string()) throw RequestError{400, key, "expected the value as YAML text, a string"};
    request.values[key] = text.get<std::string>();
  }
  return request;
}

int requested_replications(const Json& body, int max) {
  const auto found = body.find("replications");
  if (found == body.end() || !found->is_number_integer() || found->get<std::int64_t>() < 1 ||
      found->get<std::int64_t>() > max) {
    throw RequestError{400, "replications",
                       fmt::format("expected replications, a whole number from 1 to {}", max)};
  }
  return found->get<int>();
}

Json option_json(const BuiltOption& option) {
  return Json{{"name", option.scenario.name},
              {"file", option.file.string()},
              {"yaml", option.yaml},
              {"values", option.values}};
}

Json controls_json(const KeyTexts& reference_values) {
  Json blocks = Json::array();
  for (const SchemaEntry& entry : scenario::schema_entries()) {
    if (entry.type != SchemaEntry::Type::block || !entry.path.starts_with("policies.")) continue;
    Json fields = Json::array();
    for (const SchemaEntry& field : scenario::schema_entries()) {
      if (field.block != entry.path) continue;
      Json control{{"path", field.path},           {"key", field.path.substr(entry.path.size() + 1)},
                   {"units", field.units},         {"description", field.description},
                   {"required", field.required},   {"range", field.range},
                   {"default", field.default_text}};
      switch (field.type) {
        case SchemaEntry::Type::number:
          control["type"] = "number";
          control["integer"] = field.number->integer;
          control["min"] = field.number->min;  // infinite bounds become null
          control["max"] = field.number->max;
          control["min_inclusive"] = field.number->min_inclusive;
          control["max_inclusive"] = field.number->max_inclusive;
          control["may_be_uncertain"] = field.certain_reason.empty();
          break;
        case SchemaEntry::Type::run_month:
          control["type"] = "month";
          break;
        default:
          control["type"] = "yaml";
          break;
      }
      fields.push_back(std::move(control));
    }
    blocks.push_back(Json{{"path", entry.path},
                          {"key", entry.path.substr(std::string_view("policies.").size())},
                          {"description", entry.description},
                          {"in_reference", reference_values.contains(entry.path)},
                          {"fields", std::move(fields)}});
  }
  return blocks;
}

std::string command_for(const fs::path& reference, const fs::path& option, int replications,
                        std::uint64_t seed) {
  return fmt::format("wfsim run {} {} -n {} --seed {}", reference.string(), option.string(), replications,
                     seed);
}

// Writes `text` to `file` unless a file is there already.
void write_new_file(const fs::path& file, const std::string& text) {
  std::FILE* out = std::fopen(file.c_str(), "wx");
  if (!out) {
    std::error_code error;
    if (fs::exists(file, error)) {
      throw RequestError{409, "name", fmt::format("{} exists already; choose another name", file.string())};
    }
    throw RequestError{500, "", fmt::format("cannot write {}", file.string())};
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  if (std::fclose(out) != 0 || !written) {
    fs::remove(file);
    throw RequestError{500, "", fmt::format("cannot write {}", file.string())};
  }
}

}  // namespace

bool json_depth_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (in_string) {
      if (c == '\\') {
        ++k;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

struct Server::Impl {
  // One run the page asked for.
  struct Job {
    std::string client;
    std::int64_t sequence = 0;  // the page's count of its requests: a later one supersedes
    BuiltOption option;
    int replications = 0;
    std::atomic<bool> cancelled{false};
    std::promise<Json> result;
  };

  std::vector<scenario::Scenario> scenarios;
  ServerSettings settings;
  OptionBuilder builder;
  WhatIfRunner runner;
  Json session;
  std::string schema_text;
  httplib::Server http;
  int port = 0;
  std::set<std::string> hosts;  // Host headers the server answers

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::shared_ptr<Job>> waiting;
  std::shared_ptr<Job> running;
  std::map<std::string, std::int64_t> latest_sequence;  // by page
  bool stopping = false;
  std::thread worker;

  Impl(std::vector<scenario::Scenario> loaded, ServerSettings chosen)
      : scenarios(std::move(loaded)),
        settings(std::move(chosen)),
        builder(scenarios.front(), settings.save_directory),
        runner(scenarios.front(), WhatIfSettings{settings.seed, settings.threads, memory_bound(), 4}),
        schema_text(scenario::scenario_json_schema()) {
    if (settings.replications > runner.settings().max_replications) {
      throw std::runtime_error(fmt::format("--replications {} is above the most the series memory allows, {}",
                                           settings.replications, runner.settings().max_replications));
    }
    settings.idle_replications =
        std::clamp(settings.idle_replications, settings.replications, runner.settings().max_replications);
    session = session_json();
    routes();
    worker = std::thread([this] { work(); });
  }

  int memory_bound() const {
    const int months = scenarios.front().parameters.time.months;
    // The reference and every cached option may hold this many.
    const std::size_t per_scenario = settings.series_memory / 6;
    const auto bound = static_cast<int>(std::min<std::size_t>(
        per_scenario / SeriesStore::bytes_per_replication(months), static_cast<std::size_t>(INT32_MAX)));
    return std::max(1, std::min(settings.max_replications, bound));
  }

  Json session_json() const {
    const scenario::Scenario& reference = scenarios.front();
    Json starts = Json::array();
    for (const scenario::Scenario& s : scenarios) {
      starts.push_back(Json{{"name", s.name},
                            {"description", s.description},
                            {"values", scenario::key_texts(s.resolved_yaml, s.file.string())}});
    }
    const auto& time = reference.parameters.time;
    const std::vector<std::string> years = year_labels(time);
    Json headings = Json::array();
    for (const std::string& label : years) headings.push_back(report::year_heading(label));
    return Json{{"wfsim_version", settings.wfsim_version},
                {"reference", Json{{"name", reference.name},
                                   {"description", reference.description},
                                   {"file", reference.file.string()},
                                   {"values", builder.reference_values()}}},
                {"starts", std::move(starts)},
                {"controls", controls_json(builder.reference_values())},
                {"start", model::format_year_month(time.start)},
                {"months", time.months},
                {"years", years},
                {"year_headings", std::move(headings)},
                {"save_directory", settings.save_directory.string()},
                {"settings", Json{{"seed", settings.seed},
                                  {"threads", settings.threads},
                                  {"replications", settings.replications},
                                  {"idle_replications", settings.idle_replications},
                                  {"max_replications", runner.settings().max_replications}}}};
  }

  // ---- the run queue -------------------------------------------------------

  void work() {
    // The reference first, while nobody waits, so the page's first figures need only the option.
    runner.warm_up(settings.replications, [&] {
      std::lock_guard lock(mutex);
      return stopping || !waiting.empty();
    });
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !waiting.empty(); });
        if (stopping) return;
        job = waiting.front();
        waiting.pop_front();
        running = job;
      }
      try {
        job->result.set_value(
            runner.run(job->option, job->replications, [&] { return job->cancelled.load(); }));
      } catch (...) {
        job->result.set_exception(std::current_exception());
      }
      std::lock_guard lock(mutex);
      running.reset();
    }
  }

  std::future<Json> submit(const std::shared_ptr<Job>& job) {
    std::lock_guard lock(mutex);
    if (stopping) throw RequestError{503, "", "the server is stopping"};
    // Requests of one page can overtake each other on their way here: one
    // older than what the page asked for since is answered as superseded.
    auto& latest = latest_sequence[job->client];
    if (job->sequence < latest) throw RequestError{409, "", std::string(kSuperseded)};
    latest = job->sequence;
    if (latest_sequence.size() > kRememberedPages) latest_sequence = {{job->client, job->sequence}};
    // The page's own older requests are answered as superseded.
    const std::size_t superseded = std::erase_if(waiting, [&](const std::shared_ptr<Job>& other) {
      if (other->client != job->client) return false;
      other->result.set_exception(std::make_exception_ptr(Cancelled()));
      return true;
    });
    const bool replaces_running = running && running->client == job->client;
    if (replaces_running) running->cancelled = true;
    // A page that had a run takes its place; a new page waits only if there is room.
    if (superseded == 0 && !replaces_running && static_cast<int>(waiting.size()) >= kMaxWaitingRuns) {
      throw RequestError{
          503, "", fmt::format("{} other pages are waiting for runs; try again shortly", waiting.size())};
    }
    waiting.push_back(job);
    wake.notify_one();
    return job->result.get_future();
  }

  void stop_runs() {
    std::lock_guard lock(mutex);
    stopping = true;
    for (const auto& job : waiting) job->result.set_exception(std::make_exception_ptr(Cancelled()));
    waiting.clear();
    if (running) running->cancelled = true;
    wake.notify_all();
  }

  // ---- requests ------------------------------------------------------------

  BuiltOption build(const Json& body) {
    try {
      return builder.build(option_request(body));
    } catch (const OptionError& error) {
      throw RequestError{422, error.key(), error.what()};
    } catch (const scenario::ScenarioError& error) {
      throw RequestError{422, error.key(), message_without_location(error)};
    }
  }

  Json run_request(const Json& body) {
    const int replications = requested_replications(body, runner.settings().max_replications);
    const Json& client = member(body, "client", Json::value_t::string, "a string naming the page");
    if (client.get_ref<const std::string&>().size() > kMaxClientIdLength) {
      throw RequestError{400, "client", "the page's name is too long"};
    }
    const auto sequence = body.find("sequence");
    if (sequence == body.end() || !sequence->is_number_integer()) {
      throw RequestError{400, "sequence", "expected sequence, the page's count of its requests"};
    }
    auto job = std::make_shared<Job>();
    job->client = client.get<std::string>();
    job->sequence = sequence->get<std::int64_t>();
    job->option = build(body);
    job->replications = replications;
    const auto started = std::chrono::steady_clock::now();
    std::future<Json> result = submit(job);
    if (result.wait_for(kLongestWait) != std::future_status::ready) {
      job->cancelled = true;
      throw RequestError{504, "", "the run took too long"};
    }
    Json figures;
    try {
      figures = result.get();
    } catch (const Cancelled&) {
      throw RequestError{409, "", std::string(kSuperseded)};
    }
    figures["option"] = option_json(job->option);
    figures["seed"] = settings.seed;
    figures["elapsed_ms"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return figures;
  }

  Json save_request(const Json& body) {
    const int replications = requested_replications(body, runner.settings().max_replications);
    const BuiltOption option = build(body);
    std::error_code error;
    fs::create_directories(settings.save_directory, error);
    if (error || !fs::is_directory(settings.save_directory)) {
      throw RequestError{500, "",
                         fmt::format("cannot create the directory {}", settings.save_directory.string())};
    }
    const std::string header =
        fmt::format("Saved by wfsim serve: {} against {}. The page's figures come back with: {}",
                    option.scenario.name, scenarios.front().name,
                    command_for(scenarios.front().file, option.file, replications, settings.seed));
    // The header is a comment; the keys below it are what `build` ran.
    write_new_file(option.file, "# " + header + "\n" + option.yaml);
    return Json{{"file", option.file.string()},
                {"command", command_for(scenarios.front().file, option.file, replications, settings.seed)},
                {"yaml", option.yaml}};
  }

  template <typename Handler>
  httplib::Server::Handler json_handler(Handler handler) {
    return [this, handler](const httplib::Request& request, httplib::Response& response) {
      try {
        send_json(response, 200, (this->*handler)(parse_body(request)));
      } catch (const RequestError& error) {
        send_error(response, error);
      } catch (const std::exception& error) {
        send_error(response, RequestError{500, "", error.what()});
      }
    };
  }

  void routes() {
    http.new_task_queue = [] { return new httplib::ThreadPool(kHandlerThreads); };
    // SO_REUSEADDR so a restart binds at once, but not httplib's default
    // SO_REUSEPORT, with which a second server would share the port silently.
    http.set_socket_options([](socket_t socket) {
      const int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_payload_max_length(kMaxRequestBytes);
    http.set_read_timeout(5, 0);
    // An idle kept-alive connection holds a handler thread: let it go soon.
    http.set_keep_alive_timeout(2);
    http.set_write_timeout(5, 0);
    http.set_default_headers({{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});
    // Only requests addressed to this server: a web page elsewhere cannot
    // reach it by pointing a host name at 127.0.0.1.
    http.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
      if (hosts.contains(request.get_header_value("Host")))
        return httplib::Server::HandlerResponse::Unhandled;
      send_error(response, RequestError{403, "", "this server answers only requests addressed to it"});
      return httplib::Server::HandlerResponse::Handled;
    });
    http.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_header("Content-Security-Policy",
                          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                          "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                          "frame-ancestors 'none'");
      response.set_content(std::string(kPageHtml), "text/html; charset=utf-8");
    });
    http.Get("/api/session", [this](const httplib::Request&, httplib::Response& response) {
      send_json(response, 200, session);
    });
    http.Get("/schema.json", [this](const httplib::Request&, httplib::Response& response) {
      response.set_content(schema_text, "application/schema+json");
    });
    http.Post("/api/run", json_handler(&Impl::run_request));
    http.Post("/api/save", json_handler(&Impl::save_request));
    http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      const std::string message =
          response.status == 404 ? fmt::format("nothing at {} {}", request.method, request.path)
          : response.status == 413
              ? fmt::format("the request is larger than {} bytes", kMaxRequestBytes)
              : fmt::format("the request could not be served (HTTP {})", response.status);
      send_error(response, RequestError{response.status, "", message});
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
      send_error(response, RequestError{500, "", "the server failed on this request"});
    });
  }
};

Server::Server(std::vector<scenario::Scenario> scenarios, ServerSettings settings)
    : impl_(std::make_unique<Impl>(std::move(scenarios), std::move(settings))) {}

Server::~Server() {
  stop();
  if (impl_->worker.joinable()) impl_->worker.join();
}

int Server::bind() {
  Impl& s = *impl_;
  s.port = s.settings.port == 0
               ? s.http.bind_to_any_port(s.settings.host)
               : (s.http.bind_to_port(s.settings.host, s.settings.port) ? s.settings.port : -1);
  if (s.port <= 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}", s.settings.host, s.settings.port));
  }
  const std::string host =
      s.settings.host.find(':') != std::string::npos ? "[" + s.settings.host + "]" : s.settings.host;
  s.hosts = {fmt::format("{}:{}", host, s.port)};
  if (s.settings.host == "127.0.0.1" || s.settings.host == "::1") {
    s.hosts.insert(fmt::format("localhost:{}", s.port));
  }
  return s.port;
}

bool Server::listen() {
  return impl_->http.listen_after_bind();
}

void Server::stop() {
  impl_->stop_runs();
  impl_->http.stop();
}

int Server::max_replications() const {
  return impl_->runner.settings().max_replications;
}

}  // namespace wfsim::serve
