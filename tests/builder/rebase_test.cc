// ImageRebaser on images written to a temp store (layers, diff_ids, history, config merge,
// annotations, refusals), and RebaseSafety on Dockerfile stage graphs.
#include "builder/image_rebaser.h"

#include <gtest/gtest.h>

#include "builder/rebase_safety.h"
#include "dockerfile/parser.h"
#include "oci/media_types.h"
#include "support/test_env.h"
#include "util/sha256.h"

namespace plinth::builder {
namespace {

using oci::HistoryEntry;
using oci::Image;

const oci::Platform kAmd64{.os = "linux", .architecture = "amd64"};

class RebaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = oci::LayoutStore::Open(dir_.path());
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::make_unique<oci::LayoutStore>(std::move(*store));
  }

  // Adds a layer with `content` (its diff_id is the content's digest: the tests never unpack).
  Image AddLayer(Image image, const std::string& content, const std::string& created_by) {
    auto blob = store_->PutBlob(content, std::string(oci::kOciLayerTar));
    EXPECT_TRUE(blob) << blob.error().ToString();
    return oci::AppendLayer(std::move(image), *blob, blob->digest, {.created_by = created_by});
  }
  static Image Config(Image image, const std::string& created_by) {
    return oci::AppendEmptyHistory(std::move(image), {.created_by = created_by});
  }
  ResolvedImage Write(const std::string& name, const Image& image) {
    auto manifest = oci::WriteImage(*store_, image);
    EXPECT_TRUE(manifest) << manifest.error().ToString();
    EXPECT_TRUE(store_->Tag(name, *manifest));
    return {name, *manifest, image};
  }

  // Base v1: two layers, env, a label, a user, an exposed port.
  ResolvedImage OldBase() {
    Image b = oci::ScratchImage(kAmd64, 0);
    b = AddLayer(std::move(b), "base-v1 libc", "COPY libc /");
    b = Config(std::move(b), "ENV A=1 B=1");
    b = AddLayer(std::move(b), "base-v1 ssl", "COPY ssl /");
    b.config.config.env = {"A=1", "B=1"};
    b.config.config.labels = {{"version", "1"}, {"vendor", "lucid"}};
    b.config.config.user = "65532";
    b.config.config.exposed_ports = {"9000/tcp"};
    return Write("lucid-base:1", b);
  }
  // Base v2: three layers, A changed, D added, the port dropped, a new user.
  ResolvedImage NewBase() {
    Image b = oci::ScratchImage(kAmd64, 0);
    b = AddLayer(std::move(b), "base-v2 libc", "COPY libc /");
    b = AddLayer(std::move(b), "base-v2 ssl", "COPY ssl /");
    b = AddLayer(std::move(b), "base-v2 tzdata", "COPY tzdata /");
    b.config.config.env = {"A=2", "B=2", "D=4"};
    b.config.config.labels = {{"version", "2"}, {"vendor", "lucid"}};
    b.config.config.user = "nonroot";
    b.config.config.exposed_ports = {"9001/tcp"};
    return Write("lucid-base:2", b);
  }
  // A service on `base`: one layer of its own, B and C set, a label, an entrypoint.
  ResolvedImage Service(const ResolvedImage& base) {
    Image s = base.image;
    s.annotations[oci::kBaseNameAnnotation] = "lucid-base:1";
    s.annotations[oci::kBaseDigestAnnotation] = base.manifest.digest.str();
    s = AddLayer(std::move(s), "service app", "COPY --from=builder /out/ /app/");
    s = Config(std::move(s), "ENV B=svc C=3");
    s.config.config.SetEnv("B", "svc");
    s.config.config.SetEnv("C", "3");
    s.config.config.labels["app"] = "svc";
    s.config.config.entrypoint = std::vector<std::string>{"/app/run"};
    s.config.config.exposed_ports.push_back("8080/tcp");
    return Write("svc:latest", s);
  }

  testing::ScratchDir dir_;
  std::unique_ptr<oci::LayoutStore> store_;
};

TEST_F(RebaseTest, SwapsTheBaseLayersAndKeepsTheServicesOwn) {
  auto old_base = OldBase();
  auto svc = Service(old_base);
  auto new_base = NewBase();
  auto result = RebaseStoredImage(*store_, svc.manifest, new_base, "svc:latest", "svc");
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_FALSE(result->unchanged);
  EXPECT_EQ(result->old_base.digest, old_base.manifest.digest);
  EXPECT_EQ(result->new_base.digest, new_base.manifest.digest);

  // Read back through the tag.
  auto rebased = oci::ReadImage(*store_, "svc:latest", kAmd64);
  ASSERT_TRUE(rebased) << rebased.error().ToString();
  ASSERT_EQ(rebased->layers.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(rebased->layers[i].digest, new_base.image.layers[i].digest) << i;
    EXPECT_EQ(rebased->config.diff_ids[i], new_base.image.config.diff_ids[i]) << i;
  }
  EXPECT_EQ(rebased->layers[3].digest, svc.image.layers[2].digest);
  EXPECT_EQ(rebased->config.diff_ids[3], svc.image.config.diff_ids[2]);

  // History: the new base's three entries, then the service's two.
  std::vector<std::string> history;
  for (const auto& h : rebased->config.history) history.push_back(h.created_by);
  EXPECT_EQ(history, (std::vector<std::string>{"COPY libc /", "COPY ssl /", "COPY tzdata /",
                                               "COPY --from=builder /out/ /app/", "ENV B=svc C=3"}));

  // Config: inherited values follow the new base, the service's own stay.
  const auto& c = rebased->config.config;
  EXPECT_EQ(c.env, (std::vector<std::string>{"A=2", "B=svc", "D=4", "C=3"}));
  EXPECT_EQ(c.labels, (std::map<std::string, std::string>{
                          {"app", "svc"}, {"vendor", "lucid"}, {"version", "2"}}));
  EXPECT_EQ(c.user, "nonroot");
  EXPECT_EQ(c.entrypoint, std::vector<std::string>{"/app/run"});
  EXPECT_EQ(c.exposed_ports, (std::vector<std::string>{"8080/tcp", "9001/tcp"}));
  EXPECT_EQ(rebased->config.platform.str(), "linux/amd64");

  // Annotations name the new base.
  EXPECT_EQ(rebased->annotations.at(oci::kBaseDigestAnnotation), new_base.manifest.digest.str());
  EXPECT_EQ(rebased->annotations.at(oci::kBaseNameAnnotation), "lucid-base:2");

  // Rebasing onto the same base again changes nothing.
  auto again = RebaseStoredImage(*store_, result->after, new_base, "", "svc");
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->after.digest, result->after.digest);
}

TEST_F(RebaseTest, SameInputsGiveTheSameImage) {
  auto old_base = OldBase();
  auto svc = Service(old_base);
  auto new_base = NewBase();
  auto a = RebaseStoredImage(*store_, svc.manifest, new_base, "", "svc");
  auto b = RebaseStoredImage(*store_, svc.manifest, new_base, "", "svc");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->after.digest, b->after.digest);
}

TEST_F(RebaseTest, RefusesAnImageMarkedUnsafeAndWritesNothing) {
  auto old_base = OldBase();
  Image s = Service(old_base).image;
  s.annotations[kRebaseUnsafeAnnotation] = "stage #1 RUNs (Dockerfile:4: RUN make) on top of the base's files";
  auto svc = Write("svc:latest", s);
  auto result = RebaseStoredImage(*store_, svc.manifest, NewBase(), "svc:latest", "svc@linux/amd64");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(result.error().ExitCode(), 2);
  EXPECT_NE(result.error().message().find("cannot rebase svc@linux/amd64: stage #1 RUNs (Dockerfile:4: RUN make)"),
            std::string::npos) << result.error().message();
  auto tagged = store_->Resolve("svc:latest");
  ASSERT_TRUE(tagged);
  EXPECT_EQ(tagged->digest, svc.manifest.digest);
}

TEST_F(RebaseTest, RefusesWhenTheBottomLayersAreNotTheRecordedBase) {
  auto old_base = OldBase();
  Image s = oci::ScratchImage(kAmd64, 0);
  s = AddLayer(std::move(s), "something else", "COPY x /");
  s = AddLayer(std::move(s), "base-v1 ssl", "COPY ssl /");
  s = AddLayer(std::move(s), "service app", "COPY app /");
  s.annotations[oci::kBaseDigestAnnotation] = old_base.manifest.digest.str();
  auto svc = Write("svc:latest", s);
  auto result = RebaseStoredImage(*store_, svc.manifest, NewBase(), "", "svc");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(result.error().message().find("bottom layers"), std::string::npos);
}

TEST_F(RebaseTest, RefusesWhenTheOldBaseIsGoneFromTheStore) {
  auto old_base = OldBase();
  Image s = Service(old_base).image;
  std::string missing = "sha256:" + Sha256::HexOf("a base that was garbage-collected");
  s.annotations[oci::kBaseDigestAnnotation] = missing;
  auto svc = Write("svc:latest", s);
  auto result = RebaseStoredImage(*store_, svc.manifest, NewBase(), "", "svc");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(result.error().message().find(missing + ") is no longer in the store"), std::string::npos)
      << result.error().message();
}

TEST_F(RebaseTest, RefusesAnImageThatRecordsNoBase) {
  auto old_base = OldBase();
  Image s = Service(old_base).image;
  s.annotations.clear();
  auto svc = Write("svc:latest", s);
  auto result = RebaseStoredImage(*store_, svc.manifest, NewBase(), "", "svc");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(result.error().message().find("records no base image"), std::string::npos);
}

TEST_F(RebaseTest, RefusesANewBaseForAnotherPlatform) {
  auto svc = Service(OldBase());
  ResolvedImage arm = NewBase();
  arm.image.config.platform.architecture = "arm64";
  arm = Write("lucid-base:2-arm64", arm.image);
  auto result = RebaseStoredImage(*store_, svc.manifest, arm, "", "svc");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("which is for linux/arm64"), std::string::npos)
      << result.error().message();
}

TEST_F(RebaseTest, HistoryThatDoesNotStartWithTheBasesIsRefused) {
  auto old_base = OldBase();
  Image s = Service(old_base).image;
  s.config.history.erase(s.config.history.begin() + 1);  // the base's ENV entry lost
  auto svc = Write("svc:latest", s);
  auto result = RebaseStoredImage(*store_, svc.manifest, NewBase(), "", "svc");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("history does not start with the base's"), std::string::npos)
      << result.error().message();
}

// RebaseSafety on stage graphs.
std::optional<std::string> Reason(const std::string& text) {
  dockerfile::StageGraphOptions options;
  options.build_platform = *dockerfile::BuildPlatform::Parse("linux/amd64");
  auto ast = dockerfile::Parse(text, "/somewhere/svc/Dockerfile");
  EXPECT_TRUE(ast);
  auto graph = dockerfile::BuildStageGraph(*ast, options);
  EXPECT_TRUE(graph) << graph.error().ToString();
  return RebaseUnsafeReason(*graph);
}

TEST(RebaseSafetyTest, ABuilderOnAnotherImageIsSafe) {
  EXPECT_EQ(Reason("FROM golang:1.22 AS builder\nRUN go build -o /out/app .\n"
                   "FROM lucid-base:1\nCOPY --from=builder /out/app /app\nUSER 65532\n"),
            std::nullopt);
  EXPECT_EQ(Reason("FROM lucid-base:1\nCOPY app /app\nWORKDIR /app\n"), std::nullopt);
}

TEST(RebaseSafetyTest, AFinalStageThatRunsIsUnsafeAndSaysWhere) {
  auto reason = Reason("FROM lucid-base:1\nCOPY app /app\nRUN [\"/app/setup\"]\n");
  ASSERT_TRUE(reason);
  // The file's base name only: the reason is stored in the image.
  EXPECT_EQ(*reason, "stage #0 RUNs (Dockerfile:3: RUN [\"/app/setup\"]) on top of the base's "
                     "files: its layers depend on the base");
}

TEST(RebaseSafetyTest, ARunInTheFinalStagesChainIsUnsafe) {
  auto reason = Reason("FROM lucid-base:1 AS prepared\nRUN [\"/setup\"]\n"
                       "FROM prepared\nCOPY app /app\n");
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("stage prepared RUNs"), std::string::npos) << *reason;
}

TEST(RebaseSafetyTest, ABuilderRunningOnTheSameBaseIsUnsafe) {
  auto reason = Reason("FROM lucid-base:1 AS builder\nRUN [\"/usr/bin/python3\", \"-m\", \"compileall\", \"/src\"]\n"
                       "FROM lucid-base:1\nCOPY --from=builder /src /app\n");
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("stage builder RUNs"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("on lucid-base:1, the base being replaced"), std::string::npos) << *reason;
}

TEST(RebaseSafetyTest, CopyingFilesOutOfTheBaseIsUnsafe) {
  auto reason = Reason("FROM lucid-base:1\nCOPY --from=lucid-base:1 /etc/passwd /etc/passwd.orig\n");
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("copies files out of lucid-base:1"), std::string::npos) << *reason;
}

TEST(RebaseSafetyTest, BaseOfTheFinalStage) {
  dockerfile::StageGraphOptions options;
  options.build_platform = *dockerfile::BuildPlatform::Parse("linux/amd64");
  auto ast = dockerfile::Parse("FROM scratch AS a\nFROM lucid-base:${TARGETARCH} AS b\nFROM b\n", "Dockerfile");
  ASSERT_TRUE(ast);
  auto graph = dockerfile::BuildStageGraph(*ast, options);
  ASSERT_TRUE(graph);
  EXPECT_EQ(BaseStage(*graph), 1);
  EXPECT_EQ(BaseImageRef(*graph), "lucid-base:amd64");
}

}  // namespace
}  // namespace plinth::builder
