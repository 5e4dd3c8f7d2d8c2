using System.Security.Claims;
using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// Sign in with a bearer token of the project's issuer (in development: <c>ops/token</c>). The token is checked
/// by the API's own bearer scheme on the next request, not here; here it only has to look like a JWT.
/// </summary>
public sealed class LoginModel : PageModel
{
    private static readonly JsonWebTokenHandler Handler = new();

    [BindProperty]
    public string? Token { get; set; }

    public string? Problem { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/console") : Page();

    public IActionResult OnPost()
    {
        var token = Token?.Trim();
        if (token is null || !Handler.CanReadToken(token))
        {
            Problem = "这不是有效的令牌。That is not a token: paste the whole output of ops/token.";
            return Page();
        }

        var expires = Handler.ReadJsonWebToken(token).ValidTo;
        ConsoleSession.SignIn(Response, token, expires == DateTime.MinValue ? null : new DateTimeOffset(expires, TimeSpan.Zero));
        return Redirect("/console");
    }

    /// <summary>Revokes the token the console cookie carried (until it would have expired), then drops the cookie.</summary>
    public async Task<IActionResult> OnPostSignOut([FromServices] ITokenRevocations revocations)
    {
        if (User.FindFirstValue(TokenRules.TokenIdClaim) is { Length: > 0 } id && long.TryParse(User.FindFirstValue("exp"), out var expires))
        {
            await revocations.RevokeAsync(id, DateTimeOffset.FromUnixTimeSeconds(expires), HttpContext.RequestAborted);
        }

        ConsoleSession.SignOut(Response);
        return Redirect("/console/login");
    }
}
