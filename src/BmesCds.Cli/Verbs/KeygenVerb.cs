using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Cli.Verbs;

/// <summary>Makes a key pair for a CDS Client: the private key stays with the client, the JWK Set is registered with the service.</summary>
internal sealed class KeygenVerb : ICliVerb
{
    public const string PrivateKeyFile = "private-key.pem";
    public const string JwksFile = "jwks.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Name => "keygen";

    public string Summary => "write a new private key (PEM) and its public JWK Set";

    public string Usage => $"""
        usage: bmes-cds keygen --out DIR [--alg ALG] [--kid KID] [--force]
          --out DIR    folder to write {PrivateKeyFile} (mode 600) and {JwksFile} into (created if missing)
          --alg ALG    ES256|ES384|ES512|RS256|RS384|RS512|PS256|PS384|PS512 (default ES384; RSA keys are 3072 bits)
          --kid KID    key id (default: the RFC 7638 thumbprint of the public key)
          --force      overwrite existing files
        register {JwksFile} with the service (Auth:TrustedClients:N:JwksFile); exit 0 ok, 1 cannot write, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var folder = arguments.Required("out");
        var alg = arguments.Optional("alg") ?? "ES384";
        var kid = arguments.Optional("kid");
        var force = arguments.Flag("force");
        arguments.RejectUnread();
        if (!SigningKey.Algorithms.Contains(alg))
        {
            throw new UsageException($"--alg must be one of {string.Join(", ", SigningKey.Algorithms)}, not '{alg}'.");
        }

        var privatePath = Path.GetFullPath(Path.Combine(folder, PrivateKeyFile));
        var jwksPath = Path.GetFullPath(Path.Combine(folder, JwksFile));
        if (!force && (File.Exists(privatePath) || File.Exists(jwksPath)))
        {
            throw new CliFailureException($"'{privatePath}' or '{jwksPath}' already exists: pass --force to replace them.");
        }

        using var key = SigningKey.Generate(alg, kid);
        var jwks = new JsonObject { ["keys"] = new JsonArray(key.PublicJwk(alg)) };
        try
        {
            Directory.CreateDirectory(folder);
            WritePrivate(privatePath, key.PrivateKeyPem());
            File.WriteAllText(jwksPath, jwks.ToJsonString(Indented) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"cannot write to '{folder}': {ex.Message}");
        }

        stdout.WriteLine($"kid:         {key.Kid}");
        stdout.WriteLine($"alg:         {alg}");
        stdout.WriteLine($"private key: {privatePath}");
        stdout.WriteLine($"public JWKS: {jwksPath}");
        stdout.WriteLine($"mint a token: bmes-cds token --key {privatePath} --alg {alg} --kid {key.Kid} --iss ISSUER --aud URL");
        return ExitCodes.Ok;
    }

    /// <summary>Created owner-only from the start, so the key is never readable by others, not even for a moment.</summary>
    private static void WritePrivate(string path, string pem)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(pem + "\n");
    }
}
