using Microsoft.Extensions.Options;

namespace BmesCds.Service.Hosting;

/// <summary>
/// The one options idiom: bind a section, check it with the options class's own <c>Problem()</c> (a sentence naming
/// the setting and its range, or null), and fail at start with that sentence.
/// </summary>
public static class OptionsValidation
{
    public static OptionsBuilder<T> BindChecked<T>(this IServiceCollection services, string section, Func<T, string?> problem)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ProblemCheck<T>(problem));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class ProblemCheck<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } why ? ValidateOptionsResult.Fail(why) : ValidateOptionsResult.Success;
    }
}
