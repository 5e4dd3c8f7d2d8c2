using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>Sends each person to their console: supervisors to the province's, officers to their city's.</summary>
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated != true
        ? Redirect("/console/login")
        : Redirect(User.IsSupervisor() ? "/console/province" : "/console/city");
}
