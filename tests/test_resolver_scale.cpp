// The resolver on generated worst cases: deep factory chains with many returns, wide fan-out,
// cycles, and a spent work budget. No wall-clock asserts: the resolver's own work counter must
// stay within a small multiple of the facts in the index, however many paths run through them.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "checks/engine.h"
#include "detect/call_detector.h"
#include "index/resolver.h"
#include "lang/extractor.h"
#include "lang/registry.h"
#include "rules/catalog.h"
#include "rules/knowledge.h"
#include "rules/rule_files.h"

namespace {

using gapmap::FileSummary;
using gapmap::index::ProjectIndex;
using gapmap::index::Resolver;
using gapmap::index::ResolverBudget;

using Sources = std::vector<std::pair<std::string, std::string>>;

struct Project {
  std::vector<FileSummary> files;
  Project(std::string path, std::string text) : Project(Sources{{std::move(path), std::move(text)}}) {}
  explicit Project(const Sources& sources) {
    gapmap::rules::RuleFiles rules = gapmap::rules::RuleFiles::embedded();
    gapmap::lang::LanguageRegistry registry(rules);
    registry.prepare("python");
    registry.prepare("typescript");
    registry.prepare("go");
    gapmap::lang::Extractor extractor(registry);
    for (const auto& [path, text] : sources) {
      std::string language = path.ends_with(".py")   ? "python"
                             : path.ends_with(".go") ? "go"
                             : path.ends_with(".mod") ? "gomod"
                                                      : "typescript";
      files.push_back(extractor.summarize(language, path, text));
    }
  }
  // Bindings, returns, calls and functions: what "the size of the index" counts.
  size_t facts() const {
    size_t n = 0;
    for (const auto& f : files) {
      n += f.bindings.size() + f.calls.size() + f.functions.size();
      for (const auto& fn : f.functions) n += fn.returns.size();
    }
    return n;
  }
};

struct Detection {
  std::vector<gapmap::detect::DetectedCall> sites;
  std::vector<gapmap::ScanError> diagnostics;
  uint64_t work = 0;
};

Detection detect(const Project& p, ResolverBudget budget = {}) {
  gapmap::rules::RuleFiles rules = gapmap::rules::RuleFiles::embedded();
  gapmap::rules::Catalog catalog = gapmap::rules::load_catalog(rules);
  ProjectIndex index(p.files);
  Resolver resolver(index, {}, budget);
  gapmap::detect::CallDetector detector(resolver, catalog);
  Detection out;
  out.sites = detector.detect(&out.diagnostics);
  out.work = resolver.work();
  return out;
}

// The generator: `levels` factories, each returning the previous one from `returns` places.
std::string factory_chain(int levels, int returns) {
  std::string s = "import openai\ndef f0():\n    return openai.OpenAI()\n";
  for (int i = 1; i <= levels; ++i) {
    s += "def f" + std::to_string(i) + "(c):\n";
    for (int k = 0; k + 1 < returns; ++k)
      s += "    if c == " + std::to_string(k) + ":\n        return f" + std::to_string(i - 1) + "(c)\n";
    s += "    return f" + std::to_string(i - 1) + "(c)\n";
  }
  s += "f" + std::to_string(levels) + "(1).chat.completions.create(model='gpt-4o', messages=[])\n";
  return s;
}

// One Go package of `n` files: each struct keeps a client set by its constructor, points at the
// next struct (a cycle through the package) and calls the model in a method. Every lookup is
// package-wide, so this is the wide fan-out case.
Sources go_package(int n) {
  Sources out{{"go.mod", "module example.com/stress\n"}};
  for (int i = 0; i < n; ++i) {
    std::string s = std::to_string(i), next = std::to_string((i + 1) % n);
    out.push_back({"pkg/f" + s + ".go",
                   "package pkg\n\nimport \"github.com/openai/openai-go\"\n\n"
                   "type S" + s + " struct { c openai.Client; next *S" + next + " }\n\n"
                   "func New" + s + "() *S" + s + " { return &S" + s + "{c: openai.NewClient()} }\n\n"
                   "func (s *S" + s + ") Ask(ctx any) {\n  if s.next != nil { s.next.Ask(ctx) }\n"
                   "  resp, err := s.c.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: \"gpt-4o\"})\n"
                   "  if err != nil { return }\n  _ = resp\n}\n"});
  }
  return out;
}

}  // namespace

TEST_SUITE("resolver scale") {

TEST_CASE("resolver: a Go package of many files resolves every site, work linear in its size") {
  auto run = [](int n) {
    Project p(go_package(n));
    auto d = detect(p);
    CHECK(d.sites.size() == static_cast<size_t>(n));
    for (const auto& s : d.sites) CHECK(s.site.provider == "openai");
    INFO("work " << d.work << " for " << p.facts() << " facts, " << n << " files");
    CHECK(d.work <= 4 * p.facts());
    return d.work;
  };
  uint64_t small = run(300), large = run(600);
  INFO("work at 300 files " << small << ", at 600 files " << large);
  CHECK(large <= 2 * small + 64);
}

TEST_CASE("resolver: a 13-level factory chain with 5 returns per level resolves, in linear work") {
  Project p("app.py", factory_chain(13, 5));
  auto d = detect(p);
  REQUIRE(d.sites.size() == 1);
  CHECK(d.sites[0].site.provider == "openai");
  CHECK(d.sites[0].site.confidence == "high");
  CHECK_FALSE(d.sites[0].site.partial);
  CHECK(d.diagnostics.empty());
  INFO("work " << d.work << " for " << p.facts() << " facts");
  CHECK(d.work <= 4 * p.facts());
}

TEST_CASE("resolver: a 30-level chain with 10 returns per level resolves, in linear work") {
  Project p("app.py", factory_chain(30, 10));
  auto d = detect(p);
  REQUIRE(d.sites.size() == 1);
  CHECK(d.sites[0].site.provider == "openai");
  INFO("work " << d.work << " for " << p.facts() << " facts");
  CHECK(d.work <= 4 * p.facts());
}

TEST_CASE("resolver: doubling the chain at most doubles the work") {
  auto work_for = [](int levels) {
    Project p("app.py", factory_chain(levels, 6));
    return detect(p).work;
  };
  uint64_t w50 = work_for(50), w100 = work_for(100);
  INFO("50 levels: " << w50 << ", 100 levels: " << w100);
  CHECK(w100 <= 2 * w50 + 50);
}

TEST_CASE("resolver: a chain across modules, one factory per file, resolves") {
  std::vector<std::pair<std::string, std::string>> files;
  files.push_back({"pkg/m0.py", "import anthropic\ndef make():\n    return anthropic.Anthropic()\n"});
  for (int i = 1; i <= 40; ++i)
    files.push_back({"pkg/m" + std::to_string(i) + ".py",
                     "from pkg.m" + std::to_string(i - 1) + " import make as prev\n"
                     "def make():\n    if prev:\n        return prev()\n    return prev()\n"});
  files.push_back({"main.py", "from pkg.m40 import make\nmake().messages.create(model='claude-sonnet-4-5', messages=[])\n"});
  Project p(files);
  auto d = detect(p);
  REQUIRE(d.sites.size() == 1);
  CHECK(d.sites[0].site.provider == "anthropic");
  CHECK(d.work <= 4 * p.facts());
}

TEST_CASE("resolver: a factory with two returns yields both providers") {
  Project p("llm.py", "from langchain_openai import ChatOpenAI\n"
              "from langchain_anthropic import ChatAnthropic\n"
              "def make_llm(primary):\n"
              "    if primary:\n"
              "        return ChatOpenAI(model='gpt-4o')\n"
              "    return ChatAnthropic(model='claude-sonnet-4-5')\n"
              "def make_llm2(primary):\n"
              "    return ChatOpenAI(model='gpt-4o') if primary else ChatAnthropic(model='claude-sonnet-4-5')\n"
              "def ask(q):\n"
              "    return make_llm(True).invoke(q)\n"
              "def ask2(q):\n"
              "    return make_llm2(True).invoke(q)\n");
  auto d = detect(p);
  std::vector<const gapmap::detect::DetectedCall*> requests;
  for (const auto& s : d.sites)
    if (s.site.kind == "request") requests.push_back(&s);
  REQUIRE(requests.size() == 2);
  for (const auto* s : requests) {
    CAPTURE(s->site.function);
    CHECK(s->site.provider == "openai");
    CHECK(s->site.possible_providers == std::vector<std::string>{"openai", "anthropic"});
    CHECK(s->site.confidence == "medium");
  }

  // The same through the resolver directly: the set holds both constructors.
  ProjectIndex index(p.files);
  Resolver resolver(index);
  const auto& call = p.files[0].calls.back();  // make_llm2(True).invoke(q)
  auto set = resolver.resolve_path_all({0, call.function, call.class_name, call.range.start_byte}, "make_llm2");
  REQUIRE(set.alternatives.size() == 1);
  CHECK(set.alternatives[0].project_fn.valid());
}

TEST_CASE("resolver: a cycle of factories terminates and keeps what the cycle can return") {
  Project p("app.py", "import openai\n"
              "def a(n):\n"
              "    if n:\n"
              "        return b(n - 1)\n"
              "    return openai.OpenAI()\n"
              "def b(n):\n"
              "    return a(n)\n"
              "def loop1():\n"
              "    return loop2()\n"
              "def loop2():\n"
              "    return loop1()\n"
              "b(3).chat.completions.create(model='gpt-4o', messages=[])\n"
              "a(3).chat.completions.create(model='gpt-4o', messages=[])\n"
              "loop1().chat.completions.create(model='gpt-4o', messages=[])\n");
  auto d = detect(p);
  // Both entries into the a/b cycle find the client; the pure loop resolves to nothing and is
  // not a call site (it imports openai, but loop1() is a project function, not a client).
  REQUIRE(d.sites.size() == 2);
  CHECK(d.sites[0].site.provider == "openai");
  CHECK(d.sites[1].site.provider == "openai");
  CHECK(d.work <= 4 * p.facts());
}

TEST_CASE("resolver: a self-referencing and mutually aliased name terminates") {
  Project p("app.py", "import openai\n"
              "def f():\n"
              "    x = y\n"
              "    y = x\n"
              "    x.chat.completions.create(model='gpt-4o', messages=[])\n"
              "    client = openai.OpenAI()\n"
              "    client = client.with_options(timeout=5)\n"
              "    client.chat.completions.create(model='gpt-4o', messages=[])\n");
  auto d = detect(p);
  REQUIRE_FALSE(d.sites.empty());
  CHECK(d.sites.back().site.provider == "openai");
  CHECK(d.sites.back().site.line == 8);
}

TEST_CASE("resolver: wide fan-out is bounded and marked, never dropped") {
  // One name bound in 40 places to 40 different clients: the set keeps 8 and says there are more.
  std::string s = "import openai\nclient = None\n";
  for (int i = 0; i < 40; ++i)
    s += "def set" + std::to_string(i) + "():\n    global client\n    client = openai.OpenAI(base_url='https://h" +
         std::to_string(i) + ".example/v1')\n";
  s += "class Svc:\n";
  for (int i = 0; i < 40; ++i)
    s += "    def m" + std::to_string(i) + "(self):\n        self.c = openai.OpenAI(organization='o" + std::to_string(i) + "')\n";
  s += "    def ask(self):\n        return self.c.chat.completions.create(model='gpt-4o', messages=[])\n";
  Project p("app.py", s);
  auto d = detect(p);
  REQUIRE(d.sites.size() == 1);
  CHECK(d.sites[0].site.provider == "openai");
  CHECK(d.sites[0].site.partial);  // 40 alternatives, 8 kept
  CHECK(d.work <= 4 * p.facts());
}

TEST_CASE("resolver: a spent work budget is a diagnostic naming the file; its sites are still reported") {
  Project p(Sources{{"deep/app.py", factory_chain(13, 5)},
                     {"ok.py", "import openai\nopenai.OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n"}});
  ResolverBudget tiny;
  tiny.per_file_work = 40;
  auto d = detect(p, tiny);
  REQUIRE(d.diagnostics.size() == 1);
  CHECK(d.diagnostics[0].file == "deep/app.py");
  CHECK(d.diagnostics[0].message.find("work budget") != std::string::npos);
  REQUIRE(d.sites.size() == 2);
  CHECK(d.sites[0].site.file == "deep/app.py");
  CHECK(d.sites[0].site.partial);
  CHECK(d.sites[0].site.provider == "openai");  // from the method chain, with lower confidence
  CHECK(d.sites[0].site.confidence != "high");
  CHECK(d.sites[1].site.file == "ok.py");
  CHECK_FALSE(d.sites[1].site.partial);
}

TEST_CASE("resolver: an alias chain deeper than the nesting bound is reported, partially resolved") {
  std::string s = "import openai\ndef f():\n    c0 = openai.OpenAI()\n";
  for (int i = 1; i <= 2000; ++i) s += "    c" + std::to_string(i) + " = c" + std::to_string(i - 1) + "\n";
  s += "    c2000.chat.completions.create(model='gpt-4o', messages=[])\n";
  Project p("app.py", s);
  auto d = detect(p);
  REQUIRE(d.sites.size() == 1);
  CHECK(d.sites[0].site.provider == "openai");
  CHECK(d.sites[0].site.partial);
  CHECK(d.work <= 4 * p.facts());
}

}  // TEST_SUITE

// ---- the platform-deadline pass over the import graph ------------------------------------------

namespace {

gapmap::checks::ProjectFacts deadline_facts(const Project& p) {
  ProjectIndex index(p.files);
  Resolver resolver(index, {});
  auto knowledge = gapmap::rules::Knowledge::load(gapmap::rules::RuleFiles::embedded());
  return gapmap::checks::collect_facts(index, resolver, knowledge, {}, {});
}

}  // namespace

TEST_CASE("deadlines: a 20,000-module import chain under a route with maxDuration is covered, iteratively") {
  // route.ts -> m0 -> m1 -> ... -> m19999, plus a cycle m19999 -> m0: a recursive walk would
  // overflow the stack; each file must still be covered, and a root without a deadline uncovers.
  constexpr int kDepth = 20000;
  Sources sources{{"app/api/route.ts", "import { f } from './m0';\nexport const maxDuration = 30;\n"}};
  for (int i = 0; i < kDepth; ++i) {
    std::string next = i + 1 < kDepth ? "./m" + std::to_string(i + 1) : "./m0";
    sources.push_back({"app/api/m" + std::to_string(i) + ".ts", "import { f } from '" + next + "';\nexport const g = 1;\n"});
  }
  Project covered(sources);
  auto facts = deadline_facts(covered);
  REQUIRE(facts.platform_deadline.size() == covered.files.size());
  size_t covered_files = 0;
  for (const auto& d : facts.platform_deadline) covered_files += d.has_value();
  CHECK(covered_files == covered.files.size());
  // A cron script importing the middle of the chain: everything from there down is uncovered.
  sources.push_back({"scripts/cron.ts", "import { f } from '../app/api/m10000';\n"});
  Project uncovered(sources);
  auto facts2 = deadline_facts(uncovered);
  size_t mid = 0, top = 0;
  for (size_t i = 0; i < uncovered.files.size(); ++i) {
    if (uncovered.files[i].path == "app/api/m10000.ts") mid = i;
    if (uncovered.files[i].path == "app/api/m5.ts") top = i;
  }
  CHECK_FALSE(facts2.platform_deadline[mid].has_value());
  // m5 is imported by m4 only; the cycle from m19999 back to m0 is uncovered too, so through it
  // so is m0 and everything after it.
  CHECK_FALSE(facts2.platform_deadline[top].has_value());
}
