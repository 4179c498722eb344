// Loading an OSV database from a folder, a zip (as OSV publishes Debian/all.zip) or one file:
// the same advisories either way, withdrawn and foreign ones counted and dropped, and hostile
// databases (malformed advisories, oversized ones, too many files, symlinks, broken zips)
// refused with the file named.
#include "audit/osv_database.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "util/fs.h"

namespace plinth::audit {
namespace {

std::string Debian(const std::string& id, const std::string& package, const std::string& fixed,
                   const std::string& extra = "") {
  return R"({"id": ")" + id + R"(", "modified": "2026-01-01T00:00:00Z", )" + extra +
         R"("affected": [{"package": {"ecosystem": "Debian:12", "name": ")" + package +
         R"("}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": ")" +
         fixed + R"("}]}]}]})";
}

// name -> content, the database of most tests.
std::vector<std::pair<std::string, std::string>> Files() {
  return {
      {"DSA-5001-1.json", Debian("DSA-5001-1", "openssl", "3.0.15-1~deb12u1")},
      {"DSA-5002-1.json", Debian("DSA-5002-1", "zlib", "1:1.2.13.dfsg-1+deb12u1")},
      {"DEBIAN-CVE-2026-0003.json", Debian("DEBIAN-CVE-2026-0003", "glibc", "2.36-9+deb12u9",
                                           R"("withdrawn": "2026-02-01T00:00:00Z", )")},
      {"PYSEC-2026-4.json",
       R"({"id": "PYSEC-2026-4", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}}]})"},
  };
}

class OsvDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("osv-db-test");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(*dir));
  }

  std::string Path(const std::string& name) const { return dir_->path() + "/" + name; }

  void WriteFile(const std::string& name, const std::string& content) {
    std::string path = Path(name);
    ASSERT_TRUE(MakeDirs(path.substr(0, path.rfind('/'))).ok());
    std::ofstream(path, std::ios::binary) << content;
  }

  // A zip written by libarchive, as OSV's all.zip holds its advisories: flat, one per entry.
  void WriteZip(const std::string& name,
                const std::vector<std::pair<std::string, std::string>>& entries) {
    archive* a = archive_write_new();
    ASSERT_EQ(archive_write_set_format_zip(a), ARCHIVE_OK);
    ASSERT_EQ(archive_write_open_filename(a, Path(name).c_str()), ARCHIVE_OK);
    for (const auto& [member, content] : entries) {
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, member.c_str());
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
      ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK);
      ASSERT_EQ(archive_write_data(a, content.data(), content.size()),
                static_cast<la_ssize_t>(content.size()));
      archive_entry_free(e);
    }
    ASSERT_EQ(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
  }

  static std::vector<std::string> Ids(const OsvDatabase& db) {
    std::vector<std::string> ids;
    for (const OsvAdvisory& a : db.advisories()) ids.push_back(a.id);
    return ids;
  }

  std::optional<TempDir> dir_;
};

TEST_F(OsvDatabaseTest, FolderIsSearchedRecursivelyForJsonAdvisories) {
  for (const auto& [name, content] : Files()) WriteFile("db/debian/" + name, content);
  WriteFile("db/README.md", "not an advisory");
  WriteFile("db/.git/objects/x.json", "{ not read: hidden folders are skipped");
  auto db = LoadOsvDatabase(Path("db"));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(Ids(*db), (std::vector<std::string>{"DSA-5001-1", "DSA-5002-1"}));
  EXPECT_EQ(db->figures().files, 4u);
  EXPECT_EQ(db->figures().kept, 2u);
  EXPECT_EQ(db->figures().withdrawn, 1u);
  EXPECT_EQ(db->figures().other_ecosystem, 1u);
  ASSERT_EQ(db->ForPackage("zlib").size(), 1u);
  EXPECT_EQ(db->advisories()[db->ForPackage("zlib")[0]].file, "debian/DSA-5002-1.json");
  EXPECT_TRUE(db->ForPackage("glibc").empty()) << "withdrawn";
  EXPECT_TRUE(db->ForPackage("curl").empty());
}

TEST_F(OsvDatabaseTest, ZipHoldsTheSameDatabase) {
  std::vector<std::pair<std::string, std::string>> entries = Files();
  entries.push_back({"notes.txt", "ignored"});
  WriteZip("all.zip", entries);
  auto db = LoadOsvDatabase(Path("all.zip"));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(Ids(*db), (std::vector<std::string>{"DSA-5001-1", "DSA-5002-1"}));
  EXPECT_EQ(db->figures().withdrawn, 1u);
  EXPECT_EQ(db->figures().other_ecosystem, 1u);
  EXPECT_EQ(db->advisories()[0].file, Path("all.zip") + ":DSA-5001-1.json");
}

TEST_F(OsvDatabaseTest, ZipIsRecognisedBySignatureWhateverItsName) {
  WriteZip("debian-osv.bin", Files());
  auto db = LoadOsvDatabase(Path("debian-osv.bin"));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(db->advisories().size(), 2u);
}

TEST_F(OsvDatabaseTest, SingleAdvisoryFileLoads) {
  WriteFile("DSA-5001-1.json", Files()[0].second);
  auto db = LoadOsvDatabase(Path("DSA-5001-1.json"));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(Ids(*db), std::vector<std::string>{"DSA-5001-1"});
}

TEST_F(OsvDatabaseTest, MalformedAdvisoryInAFolderNamesTheFile) {
  for (const auto& [name, content] : Files()) WriteFile("db/" + name, content);
  WriteFile("db/DSA-5009-1.json", R"({"id": "DSA-5009-1", "aliases": "CVE-2026-9"})");
  auto db = LoadOsvDatabase(Path("db"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind(), ErrorKind::kInvalidInput);
  std::string text = db.error().ToString();
  EXPECT_NE(text.find("DSA-5009-1.json"), std::string::npos) << text;
  EXPECT_NE(text.find("aliases"), std::string::npos) << text;
  EXPECT_NE(text.find("loading the vulnerability database"), std::string::npos) << text;
}

TEST_F(OsvDatabaseTest, MalformedAdvisoryInAZipNamesTheMember) {
  std::vector<std::pair<std::string, std::string>> entries = Files();
  entries.push_back({"DSA-5010-1.json", "{\"id\": \"DSA-5010-1\", \"affected\": "});
  WriteZip("all.zip", entries);
  auto db = LoadOsvDatabase(Path("all.zip"));
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().ToString().find("all.zip:DSA-5010-1.json"), std::string::npos)
      << db.error().ToString();
}

TEST_F(OsvDatabaseTest, NamesAndVersionsInErrorsCarryNoTerminalEscapes) {
  WriteZip("all.zip", {{"evil\x1b]0;owned\x07.json",
                        Debian("DSA-1-1", "openssl", "1.0\\u001b[2J")}});  // an ESC in the version
  auto db = LoadOsvDatabase(Path("all.zip"));
  ASSERT_FALSE(db.ok());
  std::string text = db.error().ToString();
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_NE(text.find("all.zip:evil?]0;owned?.json"), std::string::npos) << text;
  EXPECT_NE(text.find("'1.0?[2J'"), std::string::npos) << text;
}

TEST_F(OsvDatabaseTest, OversizedAdvisoriesAreRefusedInFoldersAndZips) {
  OsvLimits limits;
  limits.max_advisory_bytes = 1024;
  std::string big =
      Debian("DSA-5011-1", "openssl", "1.0", R"("details": ")" + std::string(2000, 'x') + R"(", )");
  WriteFile("db/DSA-5011-1.json", big);
  auto from_folder = LoadOsvDatabase(Path("db"), limits);
  ASSERT_FALSE(from_folder.ok());
  EXPECT_NE(from_folder.error().ToString().find("DSA-5011-1.json"), std::string::npos);

  WriteZip("all.zip", {{"DSA-5011-1.json", big}});
  auto from_zip = LoadOsvDatabase(Path("all.zip"), limits);
  ASSERT_FALSE(from_zip.ok());
  EXPECT_EQ(from_zip.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(from_zip.error().ToString().find("larger than 1024"), std::string::npos)
      << from_zip.error().ToString();
}

TEST_F(OsvDatabaseTest, FileCountAndTotalBytesAreBounded) {
  OsvLimits few;
  few.max_files = 3;
  for (const auto& [name, content] : Files()) WriteFile("db/" + name, content);
  auto folder = LoadOsvDatabase(Path("db"), few);
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.error().message().find("more than 3 files"), std::string::npos);
  WriteZip("all.zip", Files());
  auto zip = LoadOsvDatabase(Path("all.zip"), few);
  ASSERT_FALSE(zip.ok());
  EXPECT_NE(zip.error().message().find("more than 3 files"), std::string::npos);

  OsvLimits small_total;
  small_total.max_total_bytes = 500;
  auto total = LoadOsvDatabase(Path("all.zip"), small_total);
  ASSERT_FALSE(total.ok());
  EXPECT_NE(total.error().message().find("more than 500 bytes"), std::string::npos)
      << total.error().ToString();
}

TEST_F(OsvDatabaseTest, SymlinksAreNotFollowedOutOfTheFolder) {
  WriteFile("outside/DSA-5001-1.json", Files()[0].second);
  WriteFile("db/DSA-5002-1.json", Files()[1].second);
  ASSERT_EQ(symlink(Path("outside/DSA-5001-1.json").c_str(), Path("db/link.json").c_str()), 0);
  ASSERT_EQ(symlink(Path("outside").c_str(), Path("db/linked-folder").c_str()), 0);
  auto db = LoadOsvDatabase(Path("db"));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(Ids(*db), std::vector<std::string>{"DSA-5002-1"});
}

TEST_F(OsvDatabaseTest, MissingPathsAndOtherFilesAreErrors) {
  auto missing = LoadOsvDatabase(Path("nowhere"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);

  WriteFile("db.tar", "not a zip and not json");
  auto other = LoadOsvDatabase(Path("db.tar"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind(), ErrorKind::kInvalidInput);

  WriteFile("broken.zip", std::string("PK\x03\x04", 4) + std::string(100, '\x7f'));
  auto broken = LoadOsvDatabase(Path("broken.zip"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind(), ErrorKind::kInvalidInput);
}

TEST_F(OsvDatabaseTest, EcosystemsAskedForKeepOnlyTheirEntries) {
  WriteFile("db/DEBIAN-CVE-2026-7.json", R"({"id": "DEBIAN-CVE-2026-7", "affected": [
      {"package": {"ecosystem": "Debian:11", "name": "curl"}},
      {"package": {"ecosystem": "Debian:12", "name": "curl"}},
      {"package": {"ecosystem": "Debian", "name": "curl"}},
      {"package": {"ecosystem": "Debian:13", "name": "curl"}}]})");
  WriteFile("db/DLA-4000-1.json", R"({"id": "DLA-4000-1", "affected": [
      {"package": {"ecosystem": "Debian:11", "name": "libxml2"}}]})");
  auto all = LoadOsvDatabase(Path("db"));
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  EXPECT_EQ(all->advisories().size(), 2u);
  EXPECT_EQ(all->advisories()[0].affected.size(), 4u);  // files are read in name order

  auto bookworm = LoadOsvDatabase(Path("db"), {}, {"Debian:12"});
  ASSERT_TRUE(bookworm.ok()) << bookworm.error().ToString();
  ASSERT_EQ(bookworm->advisories().size(), 1u);
  EXPECT_EQ(bookworm->advisories()[0].id, "DEBIAN-CVE-2026-7");
  ASSERT_EQ(bookworm->advisories()[0].affected.size(), 2u);
  EXPECT_EQ(bookworm->advisories()[0].affected[0].ecosystem, "Debian:12");
  EXPECT_EQ(bookworm->advisories()[0].affected[1].ecosystem, "Debian");
  EXPECT_EQ(bookworm->figures().other_ecosystem, 1u);
  EXPECT_TRUE(bookworm->ForPackage("libxml2").empty());
}

TEST_F(OsvDatabaseTest, EmptyFolderIsAnEmptyDatabase) {
  ASSERT_TRUE(MakeDirs(Path("empty")).ok());
  auto db = LoadOsvDatabase(Path("empty"));
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(db->advisories().empty());
}

}  // namespace
}  // namespace plinth::audit
