namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>Sends a seed unchanged with a Content-Type other than application/json, or none.</summary>
public sealed class MediaType(IReadOnlyList<FuzzSeed> seeds) : IMutation
{
    private static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/fhir+json", "application/json; charset=utf-8", "application/json; charset=latin1", "APPLICATION/JSON",
        "application/jsonx", "json", "application/problem+json",
    ];

    public MutationKind Kind => MutationKind.MediaType;

    public Mutated Apply(int ordinal, Random random)
    {
        var seed = seeds[random.Next(seeds.Count)];
        var contentType = ContentTypes[random.Next(ContentTypes.Length)];
        return new Mutated(seed, $"Content-Type {contentType ?? "none"}", seed.Bytes, contentType);
    }
}
