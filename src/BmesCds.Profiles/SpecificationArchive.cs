using System.IO.Compression;

namespace BmesCds.Profiles;

/// <summary>
/// The FHIR R4 core specification (specification.zip, shipped beside the binary), unpacked once per machine and
/// version into a shared folder. Firely's ZipSource unpacks into one fixed temp folder per process start, so processes
/// starting together (test assemblies, replicas on one node) unpacked over each other and one could find a file
/// missing. Here each process unpacks into a private staging folder and renames it into place, which is atomic: the
/// first complete copy wins and the others use it.
/// </summary>
public static class SpecificationArchive
{
    private const string CompleteMarker = ".complete";

    private static readonly Lazy<string> Unpacked = new(Unpack);

    /// <summary>The folder holding the unpacked specification.</summary>
    public static string Directory => Unpacked.Value;

    private static string Unpack() =>
        UnpackTo(Path.Combine(AppContext.BaseDirectory, "specification.zip"), Path.Combine(Path.GetTempPath(), "bmes-cds-fhir-specification"));

    /// <summary>Unpacks <paramref name="zip"/> under <paramref name="root"/> unless a complete copy is there already.</summary>
    public static string UnpackTo(string zip, string root)
    {
        if (!File.Exists(zip))
        {
            throw new FileNotFoundException("The FHIR R4 specification archive is not beside the binary (Hl7.Fhir.Specification.Data.R4).", zip);
        }

        // The archive's size and time identify its version well enough to keep two versions apart.
        var info = new FileInfo(zip);
        var target = Path.Combine(root, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
        if (File.Exists(Path.Combine(target, CompleteMarker)))
        {
            return target;
        }

        var staging = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        ZipFile.ExtractToDirectory(zip, staging);
        File.WriteAllText(Path.Combine(staging, CompleteMarker), string.Empty);
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, CompleteMarker)))
        {
            // Another process put its copy in place first: use that one.
            System.IO.Directory.Delete(staging, recursive: true);
        }

        return target;
    }
}
