/**
 * Every word nasm (2.16) knows as an instruction mnemonic or an instruction prefix, by category:
 * in nasm's dialect such a word is never a label, so a line that holds one is an instruction that
 * tinyelf either encodes or refuses by line (`instruction not supported: fld1 (x87)`), never a
 * label that silently takes the instruction's place. Directives and pseudo-instructions (`db`,
 * `resb`, `times`, `equ`, `incbin`) are not here: the front end reads those.
 *
 * The membership is nasm's own (test/x86/nasm-words.test.ts asks the installed nasm about every
 * word of its binary's string table and of LLVM's x86 tests, and fails when this list differs);
 * the categories are tinyelf's, for error messages and docs/isa.md; when nasm changes, that test
 * names the words to add or drop. One string per category, split into a Map on first use.
 */
const WORDS_BY_CATEGORY: Readonly<Record<string, string>> = {
  prefix:
    'a16 a32 a64 asp bnd cs ds es fs gs lock nobnd o16 o32 o64 osp rep repe repne repnz repz ss ' +
    'xacquire xrelease',
  general:
    'aaa aad aadd aam aand aas adc adcx add adox and andn axor bextr blcfill blci blcic blcmsk blcs ' +
    'blsfill blsi blsic blsmsk blsr bound bsf bsr bswap bt btc btr bts bzhi call cbw cdq cdqe clc cld ' +
    'cmc cmova cmovae cmovb cmovbe cmovc cmove cmovg cmovge cmovl cmovle cmovna cmovnae cmovnb ' +
    'cmovnbe cmovnc cmovne cmovng cmovnge cmovnl cmovnle cmovno cmovnp cmovns cmovnz cmovo cmovp ' +
    'cmovpe cmovpo cmovs cmovz cmp cmpaexadd cmpaxadd cmpbexadd cmpbxadd cmpcxadd cmpexadd cmpgexadd ' +
    'cmpgxadd cmplexadd cmplxadd cmpnaexadd cmpnaxadd cmpnbexadd cmpnbxadd cmpncxadd cmpnexadd ' +
    'cmpngexadd cmpngxadd cmpnlexadd cmpnlxadd cmpnoxadd cmpnpxadd cmpnsxadd cmpnzxadd cmpoxadd ' +
    'cmppexadd cmppoxadd cmppxadd cmpsb cmpsd cmpsq cmpsw cmpsxadd cmpxchg cmpxchg16b cmpxchg486 ' +
    'cmpxchg8b cmpzxadd cpuid cqo crc32 cwd cwde daa das dec div endbr32 endbr64 enqcmd enqcmds enter ' +
    'hint_nop0 hint_nop1 hint_nop10 hint_nop11 hint_nop12 hint_nop13 hint_nop14 hint_nop15 hint_nop16 ' +
    'hint_nop17 hint_nop18 hint_nop19 hint_nop2 hint_nop20 hint_nop21 hint_nop22 hint_nop23 ' +
    'hint_nop24 hint_nop25 hint_nop26 hint_nop27 hint_nop28 hint_nop29 hint_nop3 hint_nop30 ' +
    'hint_nop31 hint_nop32 hint_nop33 hint_nop34 hint_nop35 hint_nop36 hint_nop37 hint_nop38 ' +
    'hint_nop39 hint_nop4 hint_nop40 hint_nop41 hint_nop42 hint_nop43 hint_nop44 hint_nop45 ' +
    'hint_nop46 hint_nop47 hint_nop48 hint_nop49 hint_nop5 hint_nop50 hint_nop51 hint_nop52 ' +
    'hint_nop53 hint_nop54 hint_nop55 hint_nop56 hint_nop57 hint_nop58 hint_nop59 hint_nop6 ' +
    'hint_nop60 hint_nop61 hint_nop62 hint_nop63 hint_nop7 hint_nop8 hint_nop9 ibts icebp idiv imul ' +
    'inc int int01 int03 int1 int3 into ja jae jb jbe jc jcxz je jecxz jg jge jl jle jmp jna jnae jnb ' +
    'jnbe jnc jne jng jnge jnl jnle jno jnp jns jnz jo jp jpe jpo jrcxz js jz lahf lds lea leave les ' +
    'lfence lfs lgs lodsb lodsd lodsq lodsw loop loope loopne loopnz loopz lss lzcnt mfence mov movbe ' +
    'movdir64b movdiri movnti movsb movsd movsq movsw movsx movsxd movzx mul mulx neg nop not or ' +
    'pause pdep pext pop popa popad popaw popcnt popf popfd popfq popfw push pusha pushad pushaw ' +
    'pushf pushfd pushfq pushfw rcl rcr rdpid rdrand rdseed rdtsc rdtscp ret retd retf retfd retfq ' +
    'retfw retn retnd retnq retnw retq retw rol ror rorx sahf sal salc sar sarx sbb scasb scasd scasq ' +
    'scasw serialize seta setae setb setbe setc sete setg setge setl setle setna setnae setnb setnbe ' +
    'setnc setne setng setnge setnl setnle setno setnp setns setnz seto setp setpe setpo sets setz ' +
    'sfence shl shld shlx shr shrd shrx stc std stosb stosd stosq stosw sub syscall sysenter t1mskc ' +
    'test tpause tzcnt tzmsk ud0 ud1 ud2 ud2a ud2b umonitor umwait xabort xadd xbegin xbts xchg xend ' +
    'xlat xlatb xor xtest',
  system:
    'arpl bb0_reset bb1_reset clac clgi cli clrssbsy clts clui cpu_read cpu_write dmint encls enclu ' +
    'enclv fxrstor fxrstor64 fxsave fxsave64 getsec hlt hreset in incsspd incsspq insb insd insw invd ' +
    'invept invlpg invlpga invpcid invvpid iret iretd iretq iretw jmpe lar lgdt lidt lldt llwpcb lmsw ' +
    'loadall loadall286 lsl ltr lwpins lwpval monitor monitorx montmul mwait mwaitx out outsb outsd ' +
    'outsw pconfig ptwrite pvalidate rdfsbase rdgsbase rdm rdmsr rdmsrlist rdpkru rdpmc rdshr rdsspd ' +
    'rdsspq rmpadjust rsdc rsldt rsm rstorssp rsts saveprevssp senduipi setssbsy sgdt sidt skinit ' +
    'sldt slwpcb smi smint smintold smsw stac stgi sti str stui svdc svldt svts swapgs sysexit sysret ' +
    'testui uiret umov verr verw vmcall vmclear vmfunc vmgexit vmlaunch vmload vmmcall vmptrld ' +
    'vmptrst vmread vmresume vmrun vmsave vmwrite vmxoff vmxon wbinvd wbnoinvd wrfsbase wrgsbase ' +
    'wrmsr wrmsrlist wrmsrns wrpkru wrshr wrssd wrssq wrussd wrussq xcryptcbc xcryptcfb xcryptctr ' +
    'xcryptecb xcryptofb xgetbv xresldtrk xrstor xrstor64 xrstors xrstors64 xsave xsave64 xsavec ' +
    'xsavec64 xsaveopt xsaveopt64 xsaves xsaves64 xsetbv xsha1 xsha256 xstore xsusldtrk',
  'cache control':
    'cldemote clflush clflushopt clwb clzero pcommit prefetch prefetchit0 prefetchit1 prefetchnta ' +
    'prefetcht0 prefetcht1 prefetcht2 prefetchw prefetchwt1',
  x87:
    'f2xm1 fabs fadd faddp fbld fbstp fchs fclex fcmovb fcmovbe fcmove fcmovnb fcmovnbe fcmovne ' +
    'fcmovnu fcmovu fcom fcomi fcomip fcomp fcompp fcos fdecstp fdisi fdiv fdivp fdivr fdivrp feni ' +
    'ffree ffreep fiadd ficom ficomp fidiv fidivr fild fimul fincstp finit fist fistp fisttp fisub ' +
    'fisubr fld fld1 fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul fmulp fnclex fndisi ' +
    'fneni fninit fnop fnsave fnstcw fnstenv fnstsw fpatan fprem fprem1 fptan frndint frstor fsave ' +
    'fscale fsetpm fsin fsincos fsqrt fst fstcw fstenv fstp fstsw fsub fsubp fsubr fsubrp ftst fucom ' +
    'fucomi fucomip fucomp fucompp fwait fxam fxch fxtract fyl2x fyl2xp1 wait',
  MMX:
    'cvtpd2pi cvtpi2pd cvtpi2ps cvtps2pi cvttpd2pi cvttps2pi emms maskmovq movdq2q movntq movq2dq ' +
    'paddsiw paveb pdistib pmachriw pmagw pmulhriw pmulhrwa pmulhrwc pmvgezb pmvlzb pmvnzb pmvzb ' +
    'pshufw psubsiw',
  '3DNow!':
    'femms pavgusb pf2id pf2iw pfacc pfadd pfcmpeq pfcmpge pfcmpgt pfmax pfmin pfmul pfnacc pfpnacc ' +
    'pfrcp pfrcpit1 pfrcpit2 pfrcpv pfrsqit1 pfrsqrt pfrsqrtv pfsub pfsubr pi2fd pi2fw pswapd',
  'MMX/SSE':
    'movd movq pabsb pabsd pabsw packssdw packsswb packusdw packuswb paddb paddd paddq paddsb paddsw ' +
    'paddusb paddusw paddw palignr pand pandn pavgb pavgw pblendvb pblendw pcmpeqb pcmpeqd pcmpeqq ' +
    'pcmpeqw pcmpestri pcmpestrm pcmpgtb pcmpgtd pcmpgtq pcmpgtw pcmpistri pcmpistrm pextrb pextrd ' +
    'pextrq pextrw phaddd phaddsw phaddw phsubd phsubsw phsubw pinsrb pinsrd pinsrq pinsrw pmaddubsw ' +
    'pmaddwd pmaxsb pmaxsd pmaxsw pmaxub pmaxud pmaxuw pminsb pminsd pminsw pminub pminud pminuw ' +
    'pmovmskb pmovsxbd pmovsxbq pmovsxbw pmovsxdq pmovsxwd pmovsxwq pmovzxbd pmovzxbq pmovzxbw ' +
    'pmovzxdq pmovzxwd pmovzxwq pmuldq pmulhrsw pmulhuw pmulhw pmulld pmullw pmuludq por psadbw ' +
    'pshufb pshufd pshufhw pshuflw psignb psignd psignw pslld pslldq psllq psllw psrad psraw psrld ' +
    'psrldq psrlq psrlw psubb psubd psubq psubsb psubsw psubusb psubusw psubw punpckhbw punpckhdq ' +
    'punpckhqdq punpckhwd punpcklbw punpckldq punpcklqdq punpcklwd pxor',
  SSE:
    'addpd addps addsd addss addsubpd addsubps aesdec aesdeclast aesenc aesenclast aesimc ' +
    'aeskeygenassist andnpd andnps andpd andps blendpd blendps blendvpd blendvps cmpeqpd cmpeqps ' +
    'cmpeqsd cmpeqss cmplepd cmpleps cmplesd cmpless cmpltpd cmpltps cmpltsd cmpltss cmpneqpd ' +
    'cmpneqps cmpneqsd cmpneqss cmpnlepd cmpnleps cmpnlesd cmpnless cmpnltpd cmpnltps cmpnltsd ' +
    'cmpnltss cmpordpd cmpordps cmpordsd cmpordss cmppd cmpps cmpss cmpunordpd cmpunordps cmpunordsd ' +
    'cmpunordss comisd comiss cvtdq2pd cvtdq2ps cvtpd2dq cvtpd2ps cvtps2dq cvtps2pd cvtsd2si cvtsd2ss ' +
    'cvtsi2sd cvtsi2ss cvtss2sd cvtss2si cvttpd2dq cvttps2dq cvttsd2si cvttss2si divpd divps divsd ' +
    'divss dppd dpps extractps extrq gf2p8affineinvqb gf2p8affineqb gf2p8mulb haddpd haddps hsubpd ' +
    'hsubps insertps insertq lddqu ldmxcsr maskmovdqu maxpd maxps maxsd maxss minpd minps minsd minss ' +
    'movapd movaps movddup movdqa movdqu movhlps movhpd movhps movlhps movlpd movlps movmskpd ' +
    'movmskps movntdq movntdqa movntpd movntps movntsd movntss movshdup movsldup movss movupd movups ' +
    'mpsadbw mulpd mulps mulsd mulss orpd orps pclmulhqhqdq pclmulhqlqdq pclmullqhqdq pclmullqlqdq ' +
    'pclmulqdq phminposuw ptest rcpps rcpss roundpd roundps roundsd roundss rsqrtps rsqrtss sha1msg1 ' +
    'sha1msg2 sha1nexte sha1rnds4 sha256msg1 sha256msg2 sha256rnds2 shufpd shufps sqrtpd sqrtps ' +
    'sqrtsd sqrtss stmxcsr subpd subps subsd subss ucomisd ucomiss unpckhpd unpckhps unpcklpd ' +
    'unpcklps xorpd xorps',
  AVX:
    'v4dpwssd v4dpwssds v4fmaddps v4fmaddss v4fnmaddps v4fnmaddss vaddpd vaddph vaddps vaddsd vaddsh ' +
    'vaddss vaddsubpd vaddsubps vaesdec vaesdeclast vaesenc vaesenclast vaesimc vaeskeygenassist ' +
    'valignd valignq vandnpd vandnps vandpd vandps vbcstnebf16ps vbcstnesh2ps vblendmpd vblendmps ' +
    'vblendpd vblendps vblendvpd vblendvps vbroadcastf128 vbroadcastf32x2 vbroadcastf32x4 ' +
    'vbroadcastf32x8 vbroadcastf64x2 vbroadcastf64x4 vbroadcasti128 vbroadcasti32x2 vbroadcasti32x4 ' +
    'vbroadcasti32x8 vbroadcasti64x2 vbroadcasti64x4 vbroadcastsd vbroadcastss vcmpeq_oqpd ' +
    'vcmpeq_oqps vcmpeq_oqsd vcmpeq_oqss vcmpeq_ospd vcmpeq_osps vcmpeq_ossd vcmpeq_osss vcmpeq_uqpd ' +
    'vcmpeq_uqps vcmpeq_uqsd vcmpeq_uqss vcmpeq_uspd vcmpeq_usps vcmpeq_ussd vcmpeq_usss vcmpeqpd ' +
    'vcmpeqps vcmpeqsd vcmpeqss vcmpfalse_oqpd vcmpfalse_oqps vcmpfalse_oqsd vcmpfalse_oqss ' +
    'vcmpfalse_ospd vcmpfalse_osps vcmpfalse_ossd vcmpfalse_osss vcmpfalsepd vcmpfalseps vcmpfalsesd ' +
    'vcmpfalsess vcmpge_oqpd vcmpge_oqps vcmpge_oqsd vcmpge_oqss vcmpge_ospd vcmpge_osps vcmpge_ossd ' +
    'vcmpge_osss vcmpgepd vcmpgeps vcmpgesd vcmpgess vcmpgt_oqpd vcmpgt_oqps vcmpgt_oqsd vcmpgt_oqss ' +
    'vcmpgt_ospd vcmpgt_osps vcmpgt_ossd vcmpgt_osss vcmpgtpd vcmpgtps vcmpgtsd vcmpgtss vcmple_oqpd ' +
    'vcmple_oqps vcmple_oqsd vcmple_oqss vcmple_ospd vcmple_osps vcmple_ossd vcmple_osss vcmplepd ' +
    'vcmpleps vcmplesd vcmpless vcmplt_oqpd vcmplt_oqps vcmplt_oqsd vcmplt_oqss vcmplt_ospd ' +
    'vcmplt_osps vcmplt_ossd vcmplt_osss vcmpltpd vcmpltps vcmpltsd vcmpltss vcmpneq_oqpd ' +
    'vcmpneq_oqps vcmpneq_oqsd vcmpneq_oqss vcmpneq_ospd vcmpneq_osps vcmpneq_ossd vcmpneq_osss ' +
    'vcmpneq_uqpd vcmpneq_uqps vcmpneq_uqsd vcmpneq_uqss vcmpneq_uspd vcmpneq_usps vcmpneq_ussd ' +
    'vcmpneq_usss vcmpneqpd vcmpneqps vcmpneqsd vcmpneqss vcmpnge_uqpd vcmpnge_uqps vcmpnge_uqsd ' +
    'vcmpnge_uqss vcmpnge_uspd vcmpnge_usps vcmpnge_ussd vcmpnge_usss vcmpngepd vcmpngeps vcmpngesd ' +
    'vcmpngess vcmpngt_uqpd vcmpngt_uqps vcmpngt_uqsd vcmpngt_uqss vcmpngt_uspd vcmpngt_usps ' +
    'vcmpngt_ussd vcmpngt_usss vcmpngtpd vcmpngtps vcmpngtsd vcmpngtss vcmpnle_uqpd vcmpnle_uqps ' +
    'vcmpnle_uqsd vcmpnle_uqss vcmpnle_uspd vcmpnle_usps vcmpnle_ussd vcmpnle_usss vcmpnlepd ' +
    'vcmpnleps vcmpnlesd vcmpnless vcmpnlt_uqpd vcmpnlt_uqps vcmpnlt_uqsd vcmpnlt_uqss vcmpnlt_uspd ' +
    'vcmpnlt_usps vcmpnlt_ussd vcmpnlt_usss vcmpnltpd vcmpnltps vcmpnltsd vcmpnltss vcmpord_qpd ' +
    'vcmpord_qps vcmpord_qsd vcmpord_qss vcmpord_spd vcmpord_sps vcmpord_ssd vcmpord_sss vcmpordpd ' +
    'vcmpordps vcmpordsd vcmpordss vcmppd vcmpph vcmpps vcmpsd vcmpsh vcmpss vcmptrue_uqpd ' +
    'vcmptrue_uqps vcmptrue_uqsd vcmptrue_uqss vcmptrue_uspd vcmptrue_usps vcmptrue_ussd ' +
    'vcmptrue_usss vcmptruepd vcmptrueps vcmptruesd vcmptruess vcmpunord_qpd vcmpunord_qps ' +
    'vcmpunord_qsd vcmpunord_qss vcmpunord_spd vcmpunord_sps vcmpunord_ssd vcmpunord_sss vcmpunordpd ' +
    'vcmpunordps vcmpunordsd vcmpunordss vcomisd vcomish vcomiss vcompresspd vcompressps vcvtdq2pd ' +
    'vcvtdq2ph vcvtdq2ps vcvtne2ps2bf16 vcvtneebf162ps vcvtneeph2ps vcvtneobf162ps vcvtneoph2ps ' +
    'vcvtneps2bf16 vcvtpd2dq vcvtpd2ph vcvtpd2ps vcvtpd2qq vcvtpd2udq vcvtpd2uqq vcvtph2dq vcvtph2pd ' +
    'vcvtph2ps vcvtph2psx vcvtph2qq vcvtph2udq vcvtph2uqq vcvtph2uw vcvtph2w vcvtps2dq vcvtps2pd ' +
    'vcvtps2ph vcvtps2qq vcvtps2udq vcvtps2uqq vcvtqq2pd vcvtqq2ph vcvtqq2ps vcvtsd2sh vcvtsd2si ' +
    'vcvtsd2ss vcvtsd2usi vcvtsh2sd vcvtsh2si vcvtsh2ss vcvtsh2usi vcvtsi2sd vcvtsi2sh vcvtsi2ss ' +
    'vcvtss2sd vcvtss2sh vcvtss2si vcvtss2usi vcvttpd2dq vcvttpd2qq vcvttpd2udq vcvttpd2uqq ' +
    'vcvttph2dq vcvttph2qq vcvttph2udq vcvttph2uqq vcvttph2uw vcvttph2w vcvttps2dq vcvttps2qq ' +
    'vcvttps2udq vcvttps2uqq vcvttsd2si vcvttsd2usi vcvttsh2si vcvttsh2usi vcvttss2si vcvttss2usi ' +
    'vcvtudq2pd vcvtudq2ph vcvtudq2ps vcvtuqq2pd vcvtuqq2ph vcvtuqq2ps vcvtusi2sd vcvtusi2sh ' +
    'vcvtusi2ss vcvtuw2ph vcvtw2ph vdbpsadbw vdivpd vdivph vdivps vdivsd vdivsh vdivss vdpbf16ps ' +
    'vdppd vdpps vendscaleph vendscalesh vexp2pd vexp2ps vexpandpd vexpandps vextractf128 ' +
    'vextractf32x4 vextractf32x8 vextractf64x2 vextractf64x4 vextracti128 vextracti32x4 vextracti32x8 ' +
    'vextracti64x2 vextracti64x4 vextractps vfcmaddcph vfcmaddcsh vfcmulcpch vfcmulcsh vfixupimmpd ' +
    'vfixupimmps vfixupimmsd vfixupimmss vfmadd123pd vfmadd123ps vfmadd123sd vfmadd123ss vfmadd132pd ' +
    'vfmadd132ph vfmadd132ps vfmadd132sd vfmadd132ss vfmadd213pd vfmadd213ph vfmadd213ps vfmadd213sd ' +
    'vfmadd213ss vfmadd231pd vfmadd231ph vfmadd231ps vfmadd231sd vfmadd231ss vfmadd312pd vfmadd312ps ' +
    'vfmadd312sd vfmadd312ss vfmadd321pd vfmadd321ps vfmadd321sd vfmadd321ss vfmaddcph vfmaddcsh ' +
    'vfmaddpd vfmaddps vfmaddsd vfmaddss vfmaddsub123pd vfmaddsub123ps vfmaddsub132pd vfmaddsub132ph ' +
    'vfmaddsub132ps vfmaddsub213pd vfmaddsub213ph vfmaddsub213ps vfmaddsub231pd vfmaddsub231ph ' +
    'vfmaddsub231ps vfmaddsub312pd vfmaddsub312ps vfmaddsub321pd vfmaddsub321ps vfmaddsubpd ' +
    'vfmaddsubps vfmsub123pd vfmsub123ps vfmsub123sd vfmsub123ss vfmsub132pd vfmsub132ph vfmsub132ps ' +
    'vfmsub132sd vfmsub132ss vfmsub213pd vfmsub213ph vfmsub213ps vfmsub213sd vfmsub213ss vfmsub231pd ' +
    'vfmsub231ph vfmsub231ps vfmsub231sd vfmsub231ss vfmsub312pd vfmsub312ps vfmsub312sd vfmsub312ss ' +
    'vfmsub321pd vfmsub321ps vfmsub321sd vfmsub321ss vfmsubadd123pd vfmsubadd123ps vfmsubadd132pd ' +
    'vfmsubadd132ph vfmsubadd132ps vfmsubadd213pd vfmsubadd213ph vfmsubadd213ps vfmsubadd231pd ' +
    'vfmsubadd231ph vfmsubadd231ps vfmsubadd312pd vfmsubadd312ps vfmsubadd321pd vfmsubadd321ps ' +
    'vfmsubaddpd vfmsubaddps vfmsubpd vfmsubps vfmsubsd vfmsubss vfmulcpch vfmulcsh vfnmadd123pd ' +
    'vfnmadd123ps vfnmadd123sd vfnmadd123ss vfnmadd132pd vfnmadd132ps vfnmadd132sd vfnmadd132ss ' +
    'vfnmadd213pd vfnmadd213ps vfnmadd213sd vfnmadd213ss vfnmadd231pd vfnmadd231ps vfnmadd231sd ' +
    'vfnmadd231ss vfnmadd312pd vfnmadd312ps vfnmadd312sd vfnmadd312ss vfnmadd321pd vfnmadd321ps ' +
    'vfnmadd321sd vfnmadd321ss vfnmaddpd vfnmaddps vfnmaddsd vfnmaddss vfnmsub123pd vfnmsub123ps ' +
    'vfnmsub123sd vfnmsub123ss vfnmsub132pd vfnmsub132ps vfnmsub132sd vfnmsub132ss vfnmsub213pd ' +
    'vfnmsub213ps vfnmsub213sd vfnmsub213ss vfnmsub231pd vfnmsub231ps vfnmsub231sd vfnmsub231ss ' +
    'vfnmsub312pd vfnmsub312ps vfnmsub312sd vfnmsub312ss vfnmsub321pd vfnmsub321ps vfnmsub321sd ' +
    'vfnmsub321ss vfnmsubpd vfnmsubps vfnmsubsd vfnmsubss vfpclasspd vfpclassph vfpclassps vfpclasssd ' +
    'vfpclasssh vfpclassss vfrczpd vfrczps vfrczsd vfrczss vgatherdpd vgatherdps vgatherpf0dpd ' +
    'vgatherpf0dps vgatherpf0qpd vgatherpf0qps vgatherpf1dpd vgatherpf1dps vgatherpf1qpd ' +
    'vgatherpf1qps vgatherqpd vgatherqps vgetexppd vgetexpph vgetexpps vgetexpsd vgetexpsh vgetexpss ' +
    'vgetmantpd vgetmantph vgetmantps vgetmantsd vgetmantsh vgetmantss vgetmaxph vgetmaxsh vgetminph ' +
    'vgetminsh vgf2p8affineinvqb vgf2p8affineqb vgf2p8mulb vhaddpd vhaddps vhsubpd vhsubps ' +
    'vinsertf128 vinsertf32x4 vinsertf32x8 vinsertf64x2 vinsertf64x4 vinserti128 vinserti32x4 ' +
    'vinserti32x8 vinserti64x2 vinserti64x4 vinsertps vlddqu vldmxcsr vldqqu vmaskmovdqu vmaskmovpd ' +
    'vmaskmovps vmaxpd vmaxps vmaxsd vmaxss vminpd vminps vminsd vminss vmovapd vmovaps vmovd ' +
    'vmovddup vmovdqa vmovdqa32 vmovdqa64 vmovdqu vmovdqu16 vmovdqu32 vmovdqu64 vmovdqu8 vmovhlps ' +
    'vmovhpd vmovhps vmovlhps vmovlpd vmovlps vmovmskpd vmovmskps vmovntdq vmovntdqa vmovntpd ' +
    'vmovntps vmovntqq vmovq vmovqqa vmovqqu vmovsd vmovsh vmovshdup vmovsldup vmovss vmovupd vmovups ' +
    'vmovw vmpsadbw vmulpd vmulph vmulps vmulsd vmulsh vmulss vorpd vorps vp2intersectd vpabsb vpabsd ' +
    'vpabsq vpabsw vpackssdw vpacksswb vpackusdw vpackuswb vpaddb vpaddd vpaddq vpaddsb vpaddsw ' +
    'vpaddusb vpaddusw vpaddw vpalignr vpand vpandd vpandn vpandnd vpandnq vpandq vpavgb vpavgw ' +
    'vpblendd vpblendmb vpblendmd vpblendmq vpblendmw vpblendvb vpblendw vpbroadcastb vpbroadcastd ' +
    'vpbroadcastmb2q vpbroadcastmw2d vpbroadcastq vpbroadcastw vpclmulhqhqdq vpclmulhqlqdq ' +
    'vpclmullqhqdq vpclmullqlqdq vpclmulqdq vpcmov vpcmpb vpcmpd vpcmpeqb vpcmpeqd vpcmpeqq vpcmpequb ' +
    'vpcmpequd vpcmpequq vpcmpequw vpcmpeqw vpcmpestri vpcmpestrm vpcmpgeb vpcmpged vpcmpgeq ' +
    'vpcmpgeub vpcmpgeud vpcmpgeuq vpcmpgeuw vpcmpgew vpcmpgtb vpcmpgtd vpcmpgtq vpcmpgtub vpcmpgtud ' +
    'vpcmpgtuq vpcmpgtuw vpcmpgtw vpcmpistri vpcmpistrm vpcmpleb vpcmpled vpcmpleq vpcmpleub ' +
    'vpcmpleud vpcmpleuq vpcmpleuw vpcmplew vpcmpltb vpcmpltd vpcmpltq vpcmpltub vpcmpltud vpcmpltuq ' +
    'vpcmpltuw vpcmpltw vpcmpneqb vpcmpneqd vpcmpneqq vpcmpnequb vpcmpnequd vpcmpnequq vpcmpnequw ' +
    'vpcmpneqw vpcmpngtb vpcmpngtd vpcmpngtq vpcmpngtub vpcmpngtud vpcmpngtuq vpcmpngtuw vpcmpngtw ' +
    'vpcmpnleb vpcmpnled vpcmpnleq vpcmpnleub vpcmpnleud vpcmpnleuq vpcmpnleuw vpcmpnlew vpcmpnltb ' +
    'vpcmpnltd vpcmpnltq vpcmpnltub vpcmpnltud vpcmpnltuq vpcmpnltuw vpcmpnltw vpcmpq vpcmpub vpcmpud ' +
    'vpcmpuq vpcmpuw vpcmpw vpcomb vpcomd vpcompressb vpcompressd vpcompressq vpcompressw vpcomq ' +
    'vpcomub vpcomud vpcomuq vpcomuw vpcomw vpconflictd vpconflictq vpdpbssd vpdpbssds vpdpbsud ' +
    'vpdpbsuds vpdpbusd vpdpbusds vpdpbuud vpdpbuuds vpdpwssd vpdpwssds vperm2f128 vperm2i128 vpermb ' +
    'vpermd vpermi2b vpermi2d vpermi2pd vpermi2ps vpermi2q vpermi2w vpermilpd vpermilps vpermpd ' +
    'vpermps vpermq vpermt2b vpermt2d vpermt2pd vpermt2ps vpermt2q vpermt2w vpermw vpexpandb ' +
    'vpexpandd vpexpandq vpexpandw vpextrb vpextrd vpextrq vpextrw vpgatherdd vpgatherdq vpgatherqd ' +
    'vpgatherqq vphaddbd vphaddbq vphaddbw vphaddd vphadddq vphaddsw vphaddubd vphaddubq vphaddubw ' +
    'vphaddudq vphadduwd vphadduwq vphaddw vphaddwd vphaddwq vphminposuw vphsubbw vphsubd vphsubdq ' +
    'vphsubsw vphsubw vphsubwd vpinsrb vpinsrd vpinsrq vpinsrw vplzcntd vplzcntq vpmacsdd vpmacsdqh ' +
    'vpmacsdql vpmacssdd vpmacssdqh vpmacssdql vpmacsswd vpmacssww vpmacswd vpmacsww vpmadcsswd ' +
    'vpmadcswd vpmadd132ph vpmadd132sh vpmadd213ph vpmadd213sh vpmadd231ph vpmadd231sh vpmadd52huq ' +
    'vpmadd52luq vpmaddubsw vpmaddwd vpmaskmovd vpmaskmovq vpmaxsb vpmaxsd vpmaxsq vpmaxsw vpmaxub ' +
    'vpmaxud vpmaxuq vpmaxuw vpminsb vpminsd vpminsq vpminsw vpminub vpminud vpminuq vpminuw vpmovb2m ' +
    'vpmovd2m vpmovdb vpmovdw vpmovm2b vpmovm2d vpmovm2q vpmovm2w vpmovmskb vpmovq2m vpmovqb vpmovqd ' +
    'vpmovqw vpmovsdb vpmovsdw vpmovsqb vpmovsqd vpmovsqw vpmovswb vpmovsxbd vpmovsxbq vpmovsxbw ' +
    'vpmovsxdq vpmovsxwd vpmovsxwq vpmovusdb vpmovusdw vpmovusqb vpmovusqd vpmovusqw vpmovuswb ' +
    'vpmovw2m vpmovwb vpmovzxbd vpmovzxbq vpmovzxbw vpmovzxdq vpmovzxwd vpmovzxwq vpmsub132ph ' +
    'vpmsub132sh vpmsub213ph vpmsub213sh vpmsub231ph vpmsub231sh vpmuldq vpmulhrsw vpmulhuw vpmulhw ' +
    'vpmulld vpmullq vpmullw vpmultishiftqb vpmuludq vpnmadd132sh vpnmadd213sh vpnmadd231sh ' +
    'vpnmsub132sh vpnmsub213sh vpnmsub231sh vpopcntb vpopcntd vpopcntq vpopcntw vpor vpord vporq ' +
    'vpperm vprold vprolq vprolvd vprolvq vprord vprorq vprorvd vprorvq vprotb vprotd vprotq vprotw ' +
    'vpsadbw vpscatterdd vpscatterdq vpscatterqd vpscatterqq vpshab vpshad vpshaq vpshaw vpshlb ' +
    'vpshld vpshldd vpshldq vpshldvd vpshldvq vpshldvw vpshldw vpshlq vpshlw vpshrdd vpshrdq vpshrdvd ' +
    'vpshrdvq vpshrdvw vpshrdw vpshufb vpshufbitqmb vpshufd vpshufhw vpshuflw vpsignb vpsignd vpsignw ' +
    'vpslld vpslldq vpsllq vpsllvd vpsllvq vpsllvw vpsllw vpsrad vpsraq vpsravd vpsravq vpsravw ' +
    'vpsraw vpsrld vpsrldq vpsrlq vpsrlvd vpsrlvq vpsrlvw vpsrlw vpsubb vpsubd vpsubq vpsubsb vpsubsw ' +
    'vpsubusb vpsubusw vpsubw vpternlogd vpternlogq vptest vptestmb vptestmd vptestmq vptestmw ' +
    'vptestnmb vptestnmd vptestnmq vptestnmw vpunpckhbw vpunpckhdq vpunpckhqdq vpunpckhwd vpunpcklbw ' +
    'vpunpckldq vpunpcklqdq vpunpcklwd vpxor vpxord vpxorq vrangepd vrangeps vrangesd vrangess ' +
    'vrcp14pd vrcp14ps vrcp14sd vrcp14ss vrcp28pd vrcp28ps vrcp28sd vrcp28ss vrcpph vrcpps vrcpsh ' +
    'vrcpss vreducepd vreduceph vreduceps vreducesd vreducesh vreducess vrndscalepd vrndscaleps ' +
    'vrndscalesd vrndscaless vroundpd vroundps vroundsd vroundss vrsqrt14pd vrsqrt14ps vrsqrt14sd ' +
    'vrsqrt14ss vrsqrt28pd vrsqrt28ps vrsqrt28sd vrsqrt28ss vrsqrtph vrsqrtps vrsqrtsh vrsqrtss ' +
    'vscalefpd vscalefph vscalefps vscalefsd vscalefsh vscalefss vscatterdpd vscatterdps ' +
    'vscatterpf0dpd vscatterpf0dps vscatterpf0qpd vscatterpf0qps vscatterpf1dpd vscatterpf1dps ' +
    'vscatterpf1qpd vscatterpf1qps vscatterqpd vscatterqps vshuff32x4 vshuff64x2 vshufi32x4 ' +
    'vshufi64x2 vshufpd vshufps vsqrtpd vsqrtph vsqrtps vsqrtsd vsqrtsh vsqrtss vstmxcsr vsubpd ' +
    'vsubph vsubps vsubsd vsubsh vsubss vtestpd vtestps vucomisd vucomish vucomiss vunpckhpd ' +
    'vunpckhps vunpcklpd vunpcklps vxorpd vxorps vzeroall vzeroupper',
  'AVX-512':
    'kadd kaddb kaddd kaddq kaddw kand kandb kandd kandn kandnb kandnd kandnq kandnw kandq kandw kmov ' +
    'kmovb kmovd kmovq kmovw knot knotb knotd knotq knotw kor korb kord korq kortest kortestb ' +
    'kortestd kortestq kortestw korw kshiftl kshiftlb kshiftld kshiftlq kshiftlw kshiftr kshiftrb ' +
    'kshiftrd kshiftrq kshiftrw ktest ktestb ktestd ktestq ktestw kunpck kunpckbw kunpckdq kunpckwd ' +
    'kxnor kxnorb kxnord kxnorq kxnorw kxor kxorb kxord kxorq kxorw',
  AMX:
    'ldtilecfg sttilecfg tdpbf16ps tdpbssd tdpbsud tdpbusd tdpbuud tileloadd tileloaddt1 tilerelease ' +
    'tilestored tilezero',
  MPX:
    'bndcl bndcn bndcu bndldx bndmk bndmov bndstx',
};

/**
 * Register names, operand keywords and special functions nasm reserves that the x86 register table
 * does not hold (`xmm0-31` is xmm0 … xmm31). None is longer than 13 characters.
 */
const OTHER_RESERVED =
  'bnd0-3 cr0-15 dr0-15 k0-7 mm0-7 st0-7 tmm0-7 tr0-7 xmm0-31 ymm0-31 zmm0-31 segr6-7 ' +
  'far long nosplit seg to tword oword yword zword wrt endstruc ' +
  '__float8__ __float16__ __float32__ __float64__ __float80m__ __float80e__ __float128l__ __float128h__ ' +
  '__ilog2e__ __ilog2w__ __ilog2f__ __ilog2c__ __infinity__ __nan__ __qnan__ __snan__ ' +
  '__utf16__ __utf16le__ __utf16be__ __utf32__ __utf32le__ __utf32be__';

let categories: Map<string, string> | undefined;

/** Word → category, made on first use. */
function categoryMap(): Map<string, string> {
  if (categories === undefined) {
    categories = new Map();
    for (const [category, words] of Object.entries(WORDS_BY_CATEGORY)) for (const w of words.split(' ')) categories.set(w, category);
  }
  return categories;
}

/** The category of `word` (lower case) when nasm knows it as an instruction or a prefix, else undefined. */
export function nasmWordCategory(word: string): string | undefined {
  return categoryMap().get(word);
}

/** True for the words nasm knows as prefixes (`rep`, `lock`, `o16`, `a32`, `cs`, `xacquire`, …). */
export function isNasmPrefix(word: string): boolean {
  return nasmWordCategory(word) === 'prefix';
}

/** Every word of the list, for tests. */
export function nasmWords(): string[] {
  return [...categoryMap().keys()];
}

/** The words of `OTHER_RESERVED`, each range spelled out. */
export function otherNasmReserved(): string[] {
  return OTHER_RESERVED.split(' ').flatMap((item) => {
    const range = /^([a-z]+)(\d+)-(\d+)$/.exec(item);
    if (range === null) return [item];
    const words: string[] = [];
    for (let n = Number(range[2]); n <= Number(range[3]); n++) words.push(range[1]! + n);
    return words;
  });
}
