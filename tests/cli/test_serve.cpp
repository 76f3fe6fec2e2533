// wfsim serve as a browser (or anything else on this machine) meets it: the
// page loads nothing from elsewhere; bad requests of every kind get a clear
// JSON error with a status that says why, and the server carries on; a
// newer request from a page supersedes its older one; too many waiting pages
// are told to try later; Ctrl-C stops it cleanly even mid-run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_runner.hpp"
#include "scenario/analysis_files.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schema_catalogue.hpp"
#include "serve/option.hpp"
#include "serve/server.hpp"
#include "serve_process.hpp"
#include "source_path.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace wfsim::test;

const std::string kAmount = "policies.retention_payment.amount_gbp";
constexpr int kMaxReplications = 3000;

std::string baseline() {
  return lancashire_scenario_path("baseline").string();
}
std::string retention_payment() {
  return lancashire_scenario_path("retention_payment").string();
}

// Each request a later one than the last, as a page numbers them.
Json run_body(const std::string& client, int replications, Json values = Json::object(),
              const std::string& name = "option") {
  static std::atomic<std::int64_t> sequence{0};
  return Json{{"client", client},
              {"sequence", ++sequence},
              {"replications", replications},
              {"option", Json{{"name", name}, {"description", ""}, {"values", std::move(values)}}}};
}

class Serve : public ::testing::Test {
 public:
  // The retention payment as the shipped scenario has it, key by key, as the page would send it.
  static Json payment_values() {
    const Json starts = Json::parse(client().Get("/api/session")->body)["starts"];
    Json values = Json::object();
    for (const auto& [key, text] : starts[1]["values"].items()) {
      if (key.starts_with("policies.retention_payment")) values[key] = text;
    }
    return values;
  }

 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() / fmt::format("wfsim_serve_{}", ::getpid()));
    fs::create_directories(*directory_);
    server_ =
        new ServeProcess({baseline(), retention_payment(), "--threads", "2", "--max-replications",
                          std::to_string(kMaxReplications), "--save-dir", (*directory_ / "saved").string()},
                         *directory_);
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(*directory_);
    delete directory_;
  }
  static httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(300, 0);
    return c;
  }
  static httplib::Result post(const std::string& path, const std::string& body,
                              const std::string& type = "application/json") {
    return client().Post(path.c_str(), body, type.c_str());
  }
  // The status and the error's key and message of a refused request.
  struct Refusal {
    int status = 0;
    std::string key;
    std::string message;
  };
  static Refusal refused(const httplib::Result& result) {
    if (!result) return {-1, "", "no answer"};
    const Json body = Json::parse(result->body, nullptr, false);
    if (body.is_discarded() || !body.contains("error")) return {result->status, "", "not a JSON error"};
    return {result->status, body["error"]["key"], body["error"]["message"]};
  }

  static fs::path* directory_;
  static ServeProcess* server_;
};
fs::path* Serve::directory_ = nullptr;
ServeProcess* Serve::server_ = nullptr;

TEST_F(Serve, ServesAPageThatLoadsNothingFromElsewhere) {
  const auto page = client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("connect-src 'self'"), std::string::npos);
  for (const char* reference : {"src=", "href=", "url(", "@import", "http://", "https://", "//cdn"}) {
    EXPECT_EQ(page->body.find(reference), std::string::npos) << reference;
  }

  const auto schema = client().Get("/schema.json");
  ASSERT_TRUE(schema);
  const fs::path printed = *directory_ / "schema.json";
  ASSERT_EQ(run_program(WFSIM_BINARY, "schema", *directory_ / "schema.err", printed).exit_status, 0);
  EXPECT_EQ(schema->body, read_text(printed));

  const auto session = client().Get("/api/session");
  ASSERT_TRUE(session);
  const Json s = Json::parse(session->body);
  EXPECT_EQ(s["reference"]["name"], "baseline");
  EXPECT_EQ(s["starts"].size(), 2u);
  EXPECT_EQ(s["settings"]["max_replications"], kMaxReplications);
  // A control for every policy block of the schema, each with its keys.
  std::vector<std::string> policy_blocks;
  for (const auto& entry : wfsim::scenario::schema_entries()) {
    if (entry.type == wfsim::scenario::SchemaEntry::Type::block && entry.path.starts_with("policies."))
      policy_blocks.push_back(entry.path);
  }
  ASSERT_FALSE(policy_blocks.empty());
  ASSERT_EQ(s["controls"].size(), policy_blocks.size());
  for (std::size_t k = 0; k < policy_blocks.size(); ++k) {
    const Json& block = s["controls"][k];
    EXPECT_EQ(block["path"], policy_blocks[k]);
    std::size_t fields = 0;
    for (const auto& entry : wfsim::scenario::schema_entries()) fields += entry.block == policy_blocks[k];
    EXPECT_GT(fields, 0u) << policy_blocks[k];
    EXPECT_EQ(block["fields"].size(), fields) << policy_blocks[k];
  }
}

TEST_F(Serve, BadRequestsGetAClearErrorAndTheServerCarriesOn) {
  struct Case {
    std::string what;
    httplib::Result result;
    int status;
    std::string key;
  };
  Json bad_values = payment_values();
  bad_values[kAmount] = "-5";
  const Json bad_value = run_body("t", 20, bad_values);
  std::vector<Case> cases;
  cases.push_back({"not JSON", post("/api/run", "replications: 20"), 400, ""});
  cases.push_back({"text, not JSON", post("/api/run", run_body("t", 20).dump(), "text/plain"), 415, ""});
  cases.push_back({"deep nesting", post("/api/run", std::string(100'000, '[')), 400, ""});
  cases.push_back(
      {"too large", post("/api/run", std::string(wfsim::serve::kMaxRequestBytes + 1, ' ')), 413, ""});
  cases.push_back({"bad UTF-8", post("/api/run", "{\"client\": \"\xff\xfe\"}"), 400, ""});
  cases.push_back({"no replications", post("/api/run", Json{{"client", "t"}}.dump()), 400, "replications"});
  cases.push_back({"zero replications", post("/api/run", run_body("t", 0).dump()), 400, "replications"});
  cases.push_back({"too many replications", post("/api/run", run_body("t", kMaxReplications + 1).dump()), 400,
                   "replications"});
  Json quoted = run_body("t", 20);
  quoted["replications"] = "20";
  cases.push_back({"replications as text", post("/api/run", quoted.dump()), 400, "replications"});
  Json no_option = run_body("t", 20);
  no_option.erase("option");
  cases.push_back({"no option", post("/api/run", no_option.dump()), 400, "option"});
  cases.push_back({"a number, not YAML text",
                   post("/api/run", run_body("t", 20, Json{{kAmount, 3000}}).dump()), 400, kAmount});
  cases.push_back({"unknown key", post("/api/run", run_body("t", 20, Json{{"policies.bonus", "{}"}}).dump()),
                   422, "policies.bonus"});
  cases.push_back({"bad value", post("/api/run", bad_value.dump()), 422, kAmount});
  cases.push_back({"a path for a name", post("/api/run", run_body("t", 20, Json::object(), "../../x").dump()),
                   422, "name"});
  cases.push_back({"no such page", client().Get("/etc/passwd"), 404, ""});
  cases.push_back({"run by GET", client().Get("/api/run"), 404, ""});
  cases.push_back({"another host", client().Get("/", {{"Host", "wfsim.example:80"}}), 403, ""});
  for (const Case& c : cases) {
    const Refusal r = refused(c.result);
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.message;
    EXPECT_EQ(r.key, c.key) << c.what;
    EXPECT_GT(r.message.size(), 10u) << c.what << ": " << r.message;
  }

  // The page's message for a bad value is a file's, without the file's position.
  const fs::path file = *directory_ / "bad-value.yaml";
  std::vector<std::pair<std::string, std::string>> file_values;
  for (const auto& [key, text] : bad_values.items()) file_values.emplace_back(key, text.get<std::string>());
  std::ofstream(file) << wfsim::scenario::overlay_yaml_text(fs::relative(baseline(), *directory_).string(),
                                                            "", file_values);
  std::string file_message;
  try {
    wfsim::scenario::load_scenario(file);
  } catch (const wfsim::scenario::ScenarioError& error) {
    file_message = wfsim::serve::message_without_location(error);
  }
  EXPECT_EQ(refused(post("/api/run", bad_value.dump())).message, file_message);

  // Still serving.
  const auto good = post("/api/run", run_body("t", 20).dump());
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200) << good->body;
  EXPECT_EQ(Json::parse(good->body)["replications"], 20);
}

TEST_F(Serve, SaveWritesTheOptionOnceAndNeverOverAFile) {
  const Json request = run_body("s", 20, payment_values(), "saved-option");
  const auto saved = post("/api/save", request.dump());
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 200) << saved->body;
  const Json answer = Json::parse(saved->body);
  const fs::path file = answer["file"].get<std::string>();
  EXPECT_EQ(file, *directory_ / "saved" / "saved-option.yaml");
  EXPECT_NE(read_text(file).find(answer["yaml"].get<std::string>()), std::string::npos);
  EXPECT_NE(answer["command"].get<std::string>().find("-n 20 --seed 20151101"), std::string::npos);
  const auto loaded = wfsim::scenario::load_scenario(file);
  EXPECT_TRUE(loaded.parameters.policies.retention_payment.enabled);

  const Refusal again = refused(post("/api/save", request.dump()));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.key, "name");
  EXPECT_EQ(refused(post("/api/save", run_body("s", 20, Json::object(), "baseline").dump())).status, 422);
}

TEST_F(Serve, ANewerRequestFromAPageSupersedesItsOlderOne) {
  auto older = std::async(std::launch::async,
                          [] { return post("/api/run", run_body("page", kMaxReplications).dump()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto newer = post("/api/run", run_body("page", 20).dump());
  ASSERT_TRUE(newer);
  EXPECT_EQ(newer->status, 200);
  const Refusal superseded = refused(older.get());
  EXPECT_EQ(superseded.status, 409);
  EXPECT_NE(superseded.message.find("newer request"), std::string::npos) << superseded.message;

  // A request that arrives after a later one of its page is answered as superseded, not run.
  const Json first = run_body("overtaken", 10);
  const Json second = run_body("overtaken", 10);
  ASSERT_EQ(post("/api/run", second.dump())->status, 200);
  EXPECT_EQ(refused(post("/api/run", first.dump())).status, 409);
}

TEST_F(Serve, PagesBeyondThoseWaitingAreToldToTryLater) {
  auto running = std::async(std::launch::async,
                            [] { return post("/api/run", run_body("busy", kMaxReplications).dump()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::vector<std::future<httplib::Result>> waiting;
  for (int k = 0; k < wfsim::serve::kMaxWaitingRuns; ++k) {
    waiting.push_back(std::async(std::launch::async, [k] {
      return post("/api/run", run_body(fmt::format("waiting-{}", k), 10).dump());
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const Refusal turned_away = refused(post("/api/run", run_body("one-too-many", 10).dump()));
  EXPECT_EQ(turned_away.status, 503);
  EXPECT_NE(turned_away.message.find("try again"), std::string::npos) << turned_away.message;
  // The long run's page moves on, and everyone waiting is answered.
  const auto moved_on = post("/api/run", run_body("busy", 10).dump());
  EXPECT_EQ(refused(running.get()).status, 409);
  for (auto& w : waiting) {
    const auto result = w.get();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
  }
  ASSERT_TRUE(moved_on);
  EXPECT_EQ(moved_on->status, 200);
}

TEST(ServeProcessTest, CtrlCStopsItCleanlyEvenMidRun) {
  const fs::path directory = fs::temp_directory_path() / fmt::format("wfsim_serve_stop_{}", ::getpid());
  fs::create_directories(directory);
  {
    ServeProcess server({baseline(), "--threads", "2", "--save-dir", (directory / "saved").string()},
                        directory);
    auto running = std::async(std::launch::async, [&] {
      httplib::Client c("127.0.0.1", server.port());
      c.set_read_timeout(60, 0);
      return c.Post("/api/run", run_body("p", 5000).dump(), "application/json");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(server.stop(SIGINT), 0) << server.stderr_text();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    EXPECT_NE(server.stderr_text().find("stopped"), std::string::npos) << server.stderr_text();
    const auto answer = running.get();
    // Told it was cancelled, or the connection closed.
    if (answer) {
      EXPECT_NE(answer->status, 200);
    }
  }
  EXPECT_FALSE(fs::exists(directory / "saved")) << "a stopped server wrote nothing";
  fs::remove_all(directory);
}

TEST(ServeProcessTest, BadStartsExitWithStatusTwo) {
  const fs::path directory = fs::temp_directory_path() / fmt::format("wfsim_serve_bad_{}", ::getpid());
  fs::create_directories(directory);
  const fs::path err = directory / "err.txt";
  const auto run = [&](const std::string& arguments) { return run_wfsim("serve " + arguments, err); };
  const std::string quoted_baseline = shell_quote(baseline());

  std::ofstream(directory / "a-file") << "not a directory";
  auto result = run(fmt::format("{} --port 0 --save-dir {}", quoted_baseline,
                                shell_quote((directory / "a-file").string())));
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find("not a directory"), std::string::npos) << result.stderr_text;

  result = run(shell_quote(source_path("tests/bad_scenarios/negative_rate.yaml").string()));
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.stderr_text.find("negative_rate.yaml:"), std::string::npos) << result.stderr_text;

  {
    ServeProcess holding({baseline(), "--save-dir", (directory / "saved").string()}, directory);
    result = run(fmt::format("{} --port {}", quoted_baseline, holding.port()));
    EXPECT_EQ(result.exit_status, 2);
    EXPECT_NE(result.stderr_text.find(fmt::format("127.0.0.1:{}", holding.port())), std::string::npos)
        << result.stderr_text;
    EXPECT_EQ(holding.stop(), 0);
  }
  fs::remove_all(directory);
}

}  // namespace
