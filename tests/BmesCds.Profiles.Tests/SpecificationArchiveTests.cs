namespace BmesCds.Profiles.Tests;

/// <summary>Test assemblies and replicas start together: the specification is unpacked once, whole, whoever comes first.</summary>
public sealed class SpecificationArchiveTests
{
    [Test]
    public void Many_unpackers_at_once_end_with_one_complete_copy()
    {
        var root = Path.Combine(Path.GetTempPath(), $"bmes-spec-test-{Guid.NewGuid():N}");
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        try
        {
            var folders = new string[6];
            Parallel.For(0, folders.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => folders[i] = SpecificationArchive.UnpackTo(zip, root));

            Assert.That(folders.Distinct().Count(), Is.EqualTo(1));
            Assert.That(Directory.GetDirectories(root), Has.Length.EqualTo(1), "no staging folder is left behind");
            Assert.That(File.Exists(Path.Combine(folders[0], ".complete")), Is.True);
            Assert.That(File.Exists(Path.Combine(folders[0], "profiles-resources.xml")), Is.True);
            Assert.That(Directory.GetFiles(folders[0]), Has.Length.EqualTo(310), "the 309 files of the archive and the marker");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
