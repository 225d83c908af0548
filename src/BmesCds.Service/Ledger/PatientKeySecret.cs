using System.Security.Cryptography;
using System.Text;
using BmesCds.Ledger.Records;
using BmesCds.Service.Hosting;

namespace BmesCds.Service.Ledger;

/// <summary>
/// The secret of the pseudonymous patient key: Ledger:PatientKeySecret, required in Production and with PostgreSQL (every
/// instance must hash alike). Elsewhere, with SQLite, a secret is generated once and kept beside the database file
/// (`{SqlitePath}.patient-key`, readable by the owner only): the keys are useless without it, so back both up together.
/// </summary>
internal static class PatientKeySecret
{
    public static PatientKey Resolve(LedgerOptions options, string? sqliteFile, IHostEnvironment environment, ILogger logger)
    {
        if (!string.IsNullOrEmpty(options.PatientKeySecret))
        {
            return FromText(options.PatientKeySecret, "Ledger:PatientKeySecret");
        }

        if (environment.IsProduction())
        {
            throw new StartupConfigurationException(
                "Ledger:PatientKeySecret is required in Production (at least 32 bytes, e.g. `openssl rand -base64 48`): it keys the pseudonymous patient key of the card ledger.");
        }

        if (sqliteFile is null)
        {
            throw new StartupConfigurationException(
                "Ledger:PatientKeySecret is required with Ledger:Store PostgreSql: every instance must hash patient ids with the same secret.");
        }

        var keyFile = sqliteFile + ".patient-key";
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(keyFile, create);
                file.Write(Encoding.UTF8.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))));
                logger.LogWarning(
                    "Card ledger: generated a patient key secret in {KeyFile}. Keep it with the database; set Ledger:PatientKeySecret in production.",
                    keyFile);
            }
            catch (IOException) when (File.Exists(keyFile))
            {
                // Another process created it first: use theirs.
            }
        }

        return FromText(File.ReadAllText(keyFile).Trim(), keyFile);
    }

    private static PatientKey FromText(string secret, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        return bytes.Length >= PatientKey.MinimumSecretBytes
            ? new PatientKey(bytes)
            : throw new StartupConfigurationException($"{source} must be at least {PatientKey.MinimumSecretBytes} bytes (e.g. `openssl rand -base64 48`).");
    }
}
